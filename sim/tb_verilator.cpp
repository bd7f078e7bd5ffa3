// ternforge: generic stimulus/response harness for a Verilated tf_top.
//
// Drives any tf_top with the port list of docs/protocol.md from files and
// records the result stream.  Port widths are taken from the Verilated
// model header at compile time (see tf_probe below), so the same source
// works for every generated design without per-design code.
//
// Build (Verilator 5.006):
//   verilator --cc --exe --build -O3 -Wno-fatal --top-module tf_top
//       -f files.f sim/tb_verilator.cpp -o Vsim --Mdir DIR [--trace]
//
// Run:
//   DIR/Vsim +cfg=FILE +act=FILE +wgt=FILE +res=FILE [+seed=N] [+stall=P]
//            [+vcd=FILE] [+maxcycles=N]
//
// Behaviour (identical to sim/tb_iverilog.v):
//   * rst=1 on the first 2 rising edges, then 0.  Cycle 0 is the first
//     rising edge with rst=0.
//   * Three independent producers (cfg, act, wgt) each offer the next item
//     of their file whenever they have one left and are not stalled; valid
//     and data are held until the transfer (valid && ready at an edge).
//   * The consumer asserts res_ready unless stalled and writes
//     "<cycle> <last> <hex>" per transferred result beat.
//   * Every cycle (for the inputs of cycle c, chosen after edge c-1) four
//     xorshift32 numbers are drawn in the order cfg, act, wgt, res; a
//     stream is stalled in that cycle when (number % 100) < P.
//   * Done when the number of res_last beats equals the number of jobs;
//     then 2 more cycles are run.  Prints "harness: N cycles; load L s;
//     loop T s; eval E s; loop cpu C s" (N = cycles//     simulated after reset, including the 2 extra) and exits 0.
//   * Timeout after +maxcycles cycles: writes "TIMEOUT" as the last line of
//     the res file, prints a message to stderr, exits 2.
//   * Bad/missing files or arguments: message on stderr, exit 1.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif
#include "Vtf_top.h"

// ---------------------------------------------------------------------------
// Port widths.  Vtf_top.h declares every port with a macro such as
// VL_IN8(&cfg_rows,4,0) or VL_OUTW(&res_data,134,0,5) that keeps only the
// C++ type.  Re-reading the header inside a namespace with these macros
// redefined yields a never-instantiated twin class whose members carry the
// exact bit width in their type.
namespace tf_probe {
template <int B>
struct Width {
    static constexpr int bits = B;
};
}  // namespace tf_probe

#undef VL_IN8
#undef VL_IN16
#undef VL_IN
#undef VL_IN64
#undef VL_INW
#undef VL_INOUT8
#undef VL_INOUT16
#undef VL_INOUT
#undef VL_INOUT64
#undef VL_INOUTW
#undef VL_OUT8
#undef VL_OUT16
#undef VL_OUT
#undef VL_OUT64
#undef VL_OUTW
#define TF_PW(name, msb, lsb) ::tf_probe::Width<(msb) - (lsb) + 1> name
#define VL_IN8(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_IN16(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_IN(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_IN64(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_INW(name, msb, lsb, words) TF_PW(name, msb, lsb)
#define VL_INOUT8(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_INOUT16(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_INOUT(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_INOUT64(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_INOUTW(name, msb, lsb, words) TF_PW(name, msb, lsb)
#define VL_OUT8(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_OUT16(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_OUT(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_OUT64(name, msb, lsb) TF_PW(name, msb, lsb)
#define VL_OUTW(name, msb, lsb, words) TF_PW(name, msb, lsb)
namespace tf_probe {
#undef VERILATED_VTF_TOP_H_
#include "Vtf_top.h"
}  // namespace tf_probe
// Restore the original definitions (verilated_types.h).
#undef VL_IN8
#undef VL_IN16
#undef VL_IN
#undef VL_IN64
#undef VL_INW
#undef VL_INOUT8
#undef VL_INOUT16
#undef VL_INOUT
#undef VL_INOUT64
#undef VL_INOUTW
#undef VL_OUT8
#undef VL_OUT16
#undef VL_OUT
#undef VL_OUT64
#undef VL_OUTW
#undef TF_PW
#define VL_IN8(name, msb, lsb) CData name
#define VL_IN16(name, msb, lsb) SData name
#define VL_IN64(name, msb, lsb) QData name
#define VL_IN(name, msb, lsb) IData name
#define VL_INW(name, msb, lsb, words) VlWide<words> name
#define VL_INOUT8(name, msb, lsb) CData name
#define VL_INOUT16(name, msb, lsb) SData name
#define VL_INOUT64(name, msb, lsb) QData name
#define VL_INOUT(name, msb, lsb) IData name
#define VL_INOUTW(name, msb, lsb, words) VlWide<words> name
#define VL_OUT8(name, msb, lsb) CData name
#define VL_OUT16(name, msb, lsb) SData name
#define VL_OUT64(name, msb, lsb) QData name
#define VL_OUT(name, msb, lsb) IData name
#define VL_OUTW(name, msb, lsb, words) VlWide<words> name

#define TF_BITS(port) \
    (std::remove_reference<decltype(::tf_probe::Vtf_top::port)>::type::bits)

static constexpr int ROW_BITS = TF_BITS(cfg_rows);
static constexpr int COL_BITS = TF_BITS(cfg_cols);
static constexpr int ACT_BITS = TF_BITS(act_data);
static constexpr int WGT_BITS = TF_BITS(wgt_data);
static constexpr int RES_BITS = TF_BITS(res_data);

static constexpr int nwords(int bits) { return (bits + 31) / 32; }
static constexpr uint32_t topmask(int bits) {
    return (bits % 32) ? ((uint32_t{1} << (bits % 32)) - 1u) : 0xffffffffu;
}

// The C++ type of every port must agree with its width.
#define TF_CHECK_TYPE(port) \
    static_assert(sizeof(std::remove_reference<decltype(Vtf_top::port)>::type) \
                      >= static_cast<std::size_t>((TF_BITS(port) + 7) / 8), \
                  "port type/width mismatch: " #port)
TF_CHECK_TYPE(cfg_rows);
TF_CHECK_TYPE(cfg_cols);
TF_CHECK_TYPE(act_data);
TF_CHECK_TYPE(wgt_data);
TF_CHECK_TYPE(res_data);

// ---------------------------------------------------------------------------
// Signal access through arrays of 32-bit words (word 0 = bits 31:0).
inline void sig_set(CData& s, const uint32_t* w) { s = static_cast<CData>(w[0]); }
inline void sig_set(SData& s, const uint32_t* w) { s = static_cast<SData>(w[0]); }
inline void sig_set(IData& s, const uint32_t* w) { s = w[0]; }
inline void sig_set(QData& s, const uint32_t* w) {
    s = static_cast<QData>(w[0]) | (static_cast<QData>(w[1]) << 32);
}
template <std::size_t N>
inline void sig_set(VlWide<N>& s, const uint32_t* w) {
    EData* d = s.data();
    for (std::size_t i = 0; i < N; ++i) d[i] = w[i];
}

inline void sig_get(const CData& s, uint32_t* w) { w[0] = s; }
inline void sig_get(const SData& s, uint32_t* w) { w[0] = s; }
inline void sig_get(const IData& s, uint32_t* w) { w[0] = s; }
inline void sig_get(const QData& s, uint32_t* w) {
    w[0] = static_cast<uint32_t>(s);
    w[1] = static_cast<uint32_t>(s >> 32);
}
template <std::size_t N>
inline void sig_get(const VlWide<N>& s, uint32_t* w) {
    const EData* d = s.data();
    for (std::size_t i = 0; i < N; ++i) w[i] = d[i];
}

// ---------------------------------------------------------------------------
[[noreturn]] static void die(const char* fmt, const char* a = "", const char* b = "") {
    std::fprintf(stderr, "harness: ");
    std::fprintf(stderr, fmt, a, b);
    std::fprintf(stderr, "\n");
    std::exit(1);
}

// Character classes for the token reader.
enum : signed char { CH_WS = -1, CH_BAD = -2, CH_SEP = -3 };
struct CharTable {
    signed char v[256];
    CharTable() {
        for (int c = 0; c < 256; ++c) v[c] = CH_BAD;
        for (int c = '0'; c <= '9'; ++c) v[c] = static_cast<signed char>(c - '0');
        for (int c = 'a'; c <= 'f'; ++c) v[c] = static_cast<signed char>(c - 'a' + 10);
        for (int c = 'A'; c <= 'F'; ++c) v[c] = static_cast<signed char>(c - 'A' + 10);
        v[static_cast<unsigned char>('_')] = CH_SEP;  // Verilog digit separator
        for (const char c : {' ', '\t', '\n', '\r', '\v', '\f'}) v[static_cast<unsigned char>(c)] = CH_WS;
    }
    int operator[](char c) const { return v[static_cast<unsigned char>(c)]; }
};
static const CharTable s_chars;

// Whitespace-separated token reader.  Tokens are parsed in place in the
// read buffer (which grows only for tokens longer than itself).
class TokenReader {
    FILE* m_fp = nullptr;
    std::string m_name;
    std::vector<char> m_buf;
    size_t m_pos = 0;  // next unread character
    size_t m_len = 0;  // valid characters in m_buf
    bool m_eof = false;
    const char* m_tok = nullptr;  // current token
    size_t m_tokn = 0;

    // Keep [m_pos, m_len), read more after it.  False at end of file.
    bool fill() {
        if (m_eof) return false;
        if (m_pos) {
            std::memmove(m_buf.data(), m_buf.data() + m_pos, m_len - m_pos);
            m_len -= m_pos;
            m_pos = 0;
        }
        if (m_len == m_buf.size()) m_buf.resize(m_buf.size() * 2);
        const size_t n = std::fread(m_buf.data() + m_len, 1, m_buf.size() - m_len, m_fp);
        if (n == 0) {
            if (std::ferror(m_fp)) die("read error on '%s'", m_name.c_str());
            m_eof = true;
            return false;
        }
        m_len += n;
        return true;
    }

public:
    uint64_t count = 0;  // tokens read so far
    explicit TokenReader(const std::string& name)
        : m_name{name}
        , m_buf(size_t{1} << 16) {
        m_fp = std::fopen(name.c_str(), "rb");
        if (!m_fp) die("cannot open '%s': %s", name.c_str(), std::strerror(errno));
    }
    ~TokenReader() {
        if (m_fp) std::fclose(m_fp);
    }
    TokenReader(const TokenReader&) = delete;
    TokenReader& operator=(const TokenReader&) = delete;

    // Advance to the next token; false at end of file.
    bool next() {
        for (;;) {
            while (m_pos < m_len && s_chars[m_buf[m_pos]] == CH_WS) ++m_pos;
            if (m_pos < m_len) break;
            if (!fill()) return false;
        }
        size_t e = m_pos;
        for (;;) {
            // Eight bytes at a time while none is a control character or
            // a blank (every whitespace byte is <= 0x20): the stimulus is
            // tokens of hundreds of digits, and this scan and hex() were
            // half of an INT8 tile simulator's instructions (docs/testing.md).
            constexpr uint64_t ONES = ~uint64_t{0} / 255;
            for (uint64_t x; e + 8 <= m_len; e += 8) {
                std::memcpy(&x, m_buf.data() + e, 8);
                if ((x - ONES * 0x21) & ~x & (ONES * 0x80)) break;  // a byte < 0x21
            }
            while (e < m_len && s_chars[m_buf[e]] != CH_WS) ++e;
            if (e < m_len) break;
            const size_t off = e - m_pos;
            const bool more = fill();  // may move the buffer contents
            e = m_pos + off;
            if (!more) break;
        }
        m_tok = m_buf.data() + m_pos;
        m_tokn = e - m_pos;
        m_pos = e;
        ++count;
        return true;
    }
    [[noreturn]] void bad(const char* what) const {
        std::fprintf(stderr, "harness: %s: bad %s '%.*s' (item %llu)\n", m_name.c_str(), what,
                     static_cast<int>(m_tokn > 200 ? 200 : m_tokn), m_tok,
                     static_cast<unsigned long long>(count));
        std::exit(1);
    }
    // Token as hex into w[0..nwords(bits)), keeping the low `bits` bits.
    // '_' separators are allowed after the first digit (as in Verilog).
    void hex(uint32_t* w, int bits) const {
        const int nw = nwords(bits);
        std::memset(w, 0, sizeof(uint32_t) * static_cast<size_t>(nw));
        const size_t maxdig = static_cast<size_t>(nw) * 8;
        size_t j = 0;  // nibble index from the right
        size_t i = m_tokn;
        // Whole words first, eight digits at a time from the right; the
        // first group with a separator or a bad character, and the rest,
        // go through the digit loop below, which checks them.
        for (; i >= 8 && j + 8 <= maxdig; i -= 8, j += 8) {
            const char* d = m_tok + i - 8;
            const int v0 = s_chars[d[0]], v1 = s_chars[d[1]], v2 = s_chars[d[2]],
                      v3 = s_chars[d[3]], v4 = s_chars[d[4]], v5 = s_chars[d[5]],
                      v6 = s_chars[d[6]], v7 = s_chars[d[7]];
            if ((v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7) < 0) break;
            w[j >> 3] = static_cast<uint32_t>(v0) << 28 | static_cast<uint32_t>(v1) << 24 |
                        static_cast<uint32_t>(v2) << 20 | static_cast<uint32_t>(v3) << 16 |
                        static_cast<uint32_t>(v4) << 12 | static_cast<uint32_t>(v5) << 8 |
                        static_cast<uint32_t>(v6) << 4 | static_cast<uint32_t>(v7);
        }
        while (i-- > 0) {
            const int v = s_chars[m_tok[i]];
            if (VL_UNLIKELY(v < 0)) {
                if (v == CH_SEP && i > 0) continue;
                bad("hex value");
            }
            if (j < maxdig) w[j >> 3] |= static_cast<uint32_t>(v) << ((j & 7) * 4);
            ++j;
        }
        w[nw - 1] &= topmask(bits);
    }
    // Token as (optionally signed) decimal into w[0..nwords(bits)), modulo 2^bits.
    void dec(uint32_t* w, int bits) const {
        const int nw = nwords(bits);
        std::memset(w, 0, sizeof(uint32_t) * static_cast<size_t>(nw));
        size_t i = 0;
        bool neg = false;
        if (m_tokn && (m_tok[0] == '-' || m_tok[0] == '+')) neg = m_tok[i++] == '-';
        if (i == m_tokn) bad("decimal value");
        for (const size_t first = i; i < m_tokn; ++i) {
            const int c = m_tok[i];
            if (c == '_' && i > first) continue;
            if (c < '0' || c > '9') bad("decimal value");
            uint64_t carry = static_cast<uint64_t>(c - '0');
            for (int k = 0; k < nw; ++k) {
                const uint64_t t = static_cast<uint64_t>(w[k]) * 10u + carry;
                w[k] = static_cast<uint32_t>(t);
                carry = t >> 32;
            }
        }
        if (neg) {  // two's complement
            uint64_t carry = 1;
            for (int k = 0; k < nw; ++k) {
                const uint64_t t = static_cast<uint64_t>(~w[k]) + carry;
                w[k] = static_cast<uint32_t>(t);
                carry = t >> 32;
            }
        }
        w[nw - 1] &= topmask(bits);
    }
};

// xorshift32, shared with tb_iverilog.v
struct Prng {
    uint32_t x;
    explicit Prng(uint32_t seed) {
        x = seed ^ 0x9e3779b9u;
        if (x == 0) x = 1;
        for (int i = 0; i < 8; ++i) next();
    }
    uint32_t next() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    }
};

static const char* plusarg(int argc, char** argv, const char* key) {
    const size_t n = std::strlen(key);
    for (int i = 1; i < argc; ++i) {
        if (argv[i][0] == '+' && std::strncmp(argv[i] + 1, key, n) == 0) return argv[i] + 1 + n;
    }
    return nullptr;
}

static double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A whole stream file of hex beats as nwords(bits) words per beat.
static std::vector<uint32_t> read_stream(const char* name, int bits) {
    TokenReader rd{name};
    std::vector<uint32_t> v;
    std::vector<uint32_t> w(static_cast<size_t>(nwords(bits)));
    while (rd.next()) {
        rd.hex(w.data(), bits);
        v.insert(v.end(), w.begin(), w.end());
    }
    return v;
}

static char* put_u64(char* p, uint64_t v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

int main(int argc, char** argv) {
    const std::unique_ptr<VerilatedContext> contextp{new VerilatedContext};
    contextp->commandArgs(argc, argv);

    const char* cfg_name = plusarg(argc, argv, "cfg=");
    const char* act_name = plusarg(argc, argv, "act=");
    const char* wgt_name = plusarg(argc, argv, "wgt=");
    const char* res_name = plusarg(argc, argv, "res=");
    if (!cfg_name) die("missing +cfg=FILE");
    if (!act_name) die("missing +act=FILE");
    if (!wgt_name) die("missing +wgt=FILE");
    if (!res_name) die("missing +res=FILE");
    const char* s;
    uint32_t seed = 1;
    if ((s = plusarg(argc, argv, "seed="))) seed = static_cast<uint32_t>(std::strtoull(s, nullptr, 10));
    long long stall = 0;
    if ((s = plusarg(argc, argv, "stall="))) stall = std::strtoll(s, nullptr, 10);
    if (stall < 0) stall = 0;
    if (stall > 100) stall = 100;
    const uint32_t stall_p = static_cast<uint32_t>(stall);
    uint64_t maxcycles = 100000000ull;
    if ((s = plusarg(argc, argv, "maxcycles="))) maxcycles = std::strtoull(s, nullptr, 10);
    const char* vcd_name = plusarg(argc, argv, "vcd=");

    // Jobs: the whole cfg file (small), pairs of decimal numbers.
    constexpr int RW = nwords(ROW_BITS);
    constexpr int CW = nwords(COL_BITS);
    std::vector<uint32_t> jobs;  // RW + CW words per job
    {
        TokenReader cr{cfg_name};
        uint32_t w[RW + CW];
        while (cr.next()) {
            cr.dec(w, ROW_BITS);
            if (!cr.next()) die("%s: odd number of values (each job is 'M N')", cfg_name);
            cr.dec(w + RW, COL_BITS);
            jobs.insert(jobs.end(), w, w + RW + CW);
        }
    }
    const uint64_t njobs = jobs.size() / (RW + CW);

    // The act and wgt streams are parsed whole before the clock starts, so
    // the simulation loop reads words from memory and the parsing shows up
    // apart ("load") in the timing line.
    constexpr int AW = nwords(ACT_BITS);
    constexpr int WW = nwords(WGT_BITS);
    const auto t_load = std::chrono::steady_clock::now();
    const std::vector<uint32_t> acts = read_stream(act_name, ACT_BITS);
    const std::vector<uint32_t> wgts = read_stream(wgt_name, WGT_BITS);
    const double load_s = seconds_since(t_load);
    FILE* res_fp = std::fopen(res_name, "w");
    if (!res_fp) die("cannot open '%s' for writing: %s", res_name, std::strerror(errno));
    std::vector<char> res_iobuf(1 << 20);
    std::setvbuf(res_fp, res_iobuf.data(), _IOFBF, res_iobuf.size());

    constexpr int OW = nwords(RES_BITS);
    constexpr int ODIG = (RES_BITS + 3) / 4;
    std::vector<uint32_t> res_w(OW);
    std::vector<char> line(24 + 4 + ODIG + 2);

    const std::unique_ptr<Vtf_top> top{new Vtf_top{contextp.get(), "TOP"}};

#if VM_TRACE
    std::unique_ptr<VerilatedVcdC> tfp;
    if (vcd_name) {
        contextp->traceEverOn(true);
        tfp.reset(new VerilatedVcdC);
        top->trace(tfp.get(), 99);
        tfp->open(vcd_name);
    }
#define TF_DUMP(t)                            \
    do {                                      \
        if (VL_UNLIKELY(tfp)) tfp->dump(t);   \
    } while (0)
#else
    if (vcd_name) std::fprintf(stderr, "harness: +vcd ignored (model built without --trace)\n");
#define TF_DUMP(t) \
    do {           \
    } while (0)
#endif

    Prng rng{seed};

    // Producer state: *_has = a next item is available, *_valid = offered.
    uint64_t cfg_idx = 0;
    bool cfg_valid = false;
    const uint32_t* act_next = acts.data();
    const uint32_t* const act_end = act_next + acts.size();
    const uint32_t* wgt_next = wgts.data();
    const uint32_t* const wgt_end = wgt_next + wgts.size();
    bool act_has = act_next != act_end;
    bool wgt_has = wgt_next != wgt_end;
    bool act_valid = false, wgt_valid = false, res_ready = false;

    // Time: reset edges at 10 and 20, edge of cycle c at 30 + 10c,
    // falling edge (and new inputs) 5 later.
    top->clk = 0;
    top->rst = 1;
    top->cfg_valid = 0;
    top->act_valid = 0;
    top->wgt_valid = 0;
    top->res_ready = 0;
    {  // data inputs start at 0 as in tb_iverilog.v (even with +verilator+rand+reset+2)
        const std::vector<uint32_t> zero(static_cast<size_t>(
            nwords(std::max(std::max(ROW_BITS, COL_BITS), std::max(ACT_BITS, WGT_BITS)))));
        sig_set(top->cfg_rows, zero.data());
        sig_set(top->cfg_cols, zero.data());
        sig_set(top->act_data, zero.data());
        sig_set(top->wgt_data, zero.data());
    }
    contextp->time(0);
    top->eval();
    TF_DUMP(0);
    contextp->time(10);
    top->clk = 1;
    top->eval();
    TF_DUMP(10);
    contextp->time(15);
    top->clk = 0;
    top->eval();
    TF_DUMP(15);
    contextp->time(20);
    top->clk = 1;
    top->eval();
    TF_DUMP(20);

    uint64_t cycle = 0;  // number of edges since reset was released
    uint64_t lasts = 0;
    bool done = (njobs == 0);
    uint64_t stop_at = 2;
    top->rst = 0;
    const uint32_t* job = jobs.data();

    // The model's share of the loop: the evals of one cycle in 16, drawn
    // at random (a fixed stride would beat with the core's own periods),
    // are timed and scaled up; timing every eval would cost more than the
    // cheapest cores' cycle. A sample the scheduler preempted counts a
    // time slice (milliseconds) where a cycle takes microseconds, sixteen
    // times over: on a loaded machine the sum exceeded the whole loop.
    // So a reservoir of sampled cycles is kept, and cycles longer than 50
    // times its median are left out of the mean.
    const auto t_loop = std::chrono::steady_clock::now();
    const std::clock_t c_loop = std::clock();
    double cycle_ev = 0;
    std::vector<float> ev_samples;
    constexpr size_t EV_KEEP = 4096;
    ev_samples.reserve(EV_KEEP);
    Prng pick{seed ^ 0x5eedu};  // apart from the stalls' draws
    uint64_t sampled = 0;
    for (;;) {
        const bool sample = (pick.next() & 15u) == 0;
        std::chrono::steady_clock::time_point t_ev;
        // ---- drive the inputs for the edge of `cycle` (after the previous edge)
        {
            const bool st_cfg = (rng.next() % 100u) < stall_p;
            const bool st_act = (rng.next() % 100u) < stall_p;
            const bool st_wgt = (rng.next() % 100u) < stall_p;
            const bool st_res = (rng.next() % 100u) < stall_p;
            if (!cfg_valid && cfg_idx < njobs && !st_cfg) {
                cfg_valid = true;
                sig_set(top->cfg_rows, job);
                sig_set(top->cfg_cols, job + RW);
                top->cfg_valid = 1;
            }
            if (!act_valid && act_has && !st_act) {
                act_valid = true;
                sig_set(top->act_data, act_next);
                top->act_valid = 1;
            }
            if (!wgt_valid && wgt_has && !st_wgt) {
                wgt_valid = true;
                sig_set(top->wgt_data, wgt_next);
                top->wgt_valid = 1;
            }
            res_ready = !st_res;
            top->res_ready = res_ready;
        }
        const uint64_t t = 30 + 10 * cycle;
        contextp->time(t - 5);
        top->clk = 0;
        if (sample) t_ev = std::chrono::steady_clock::now();
        top->eval();
        if (sample) cycle_ev = seconds_since(t_ev);
        TF_DUMP(t - 5);

        if (done ? cycle == stop_at : cycle >= maxcycles) break;

        // ---- sample the handshakes just before the edge
        const bool cfg_x = cfg_valid && top->cfg_ready;
        const bool act_x = act_valid && top->act_ready;
        const bool wgt_x = wgt_valid && top->wgt_ready;
        const bool res_x = res_ready && top->res_valid;
        bool res_l = false;
        if (res_x) {
            res_l = top->res_last & 1;
            sig_get(top->res_data, res_w.data());
            res_w[OW - 1] &= topmask(RES_BITS);
            char* p = put_u64(line.data(), cycle);
            *p++ = ' ';
            *p++ = res_l ? '1' : '0';
            *p++ = ' ';
            static const char hexdig[] = "0123456789abcdef";
            for (unsigned d = ODIG; d-- > 0;) *p++ = hexdig[(res_w[d >> 3] >> ((d & 7u) * 4u)) & 15u];
            *p++ = '\n';
            std::fwrite(line.data(), 1, static_cast<size_t>(p - line.data()), res_fp);
        }

        // ---- rising edge
        contextp->time(t);
        top->clk = 1;
        if (sample) {
            t_ev = std::chrono::steady_clock::now();
            top->eval();
            cycle_ev += seconds_since(t_ev);
            ++sampled;
            if (ev_samples.size() < EV_KEEP) {
                ev_samples.push_back(static_cast<float>(cycle_ev));
            } else {
                const uint64_t r = pick.next() % sampled;
                if (r < EV_KEEP) ev_samples[r] = static_cast<float>(cycle_ev);
            }
        } else {
            top->eval();
        }
        TF_DUMP(t);

        // ---- advance the streams
        if (cfg_x) {
            cfg_valid = false;
            top->cfg_valid = 0;
            ++cfg_idx;
            job += RW + CW;
        }
        if (act_x) {
            act_valid = false;
            top->act_valid = 0;
            act_next += AW;
            act_has = act_next != act_end;
        }
        if (wgt_x) {
            wgt_valid = false;
            top->wgt_valid = 0;
            wgt_next += WW;
            wgt_has = wgt_next != wgt_end;
        }
        if (res_l) {
            ++lasts;
            if (!done && lasts == njobs) {
                done = true;
                stop_at = cycle + 3;
            }
        }
        ++cycle;
    }

    const double loop_s = seconds_since(t_loop);
    // CPU time too: on a shared machine it is what the loop cost
    const double loop_cpu = static_cast<double>(std::clock() - c_loop) / CLOCKS_PER_SEC;
    int status = 0;
    if (!done) {
        std::fputs("TIMEOUT\n", res_fp);
        std::fprintf(stderr, "harness: timeout after %llu cycles (jobs done %llu of %llu)\n",
                     static_cast<unsigned long long>(cycle), static_cast<unsigned long long>(lasts),
                     static_cast<unsigned long long>(njobs));
        status = 2;
    }
    if (std::fclose(res_fp) != 0) {
        std::fprintf(stderr, "harness: error writing '%s'\n", res_name);
        status = status ? status : 1;
    }
    top->final();
#if VM_TRACE
    if (tfp) tfp->close();
#endif
    if (status == 0) {
        double eval_s = 0;
        if (!ev_samples.empty()) {
            std::vector<float> by_size(ev_samples);
            std::nth_element(by_size.begin(), by_size.begin() + by_size.size() / 2, by_size.end());
            const double limit = 50.0 * by_size[by_size.size() / 2];
            double sum = 0;
            size_t kept = 0;
            for (const float v : ev_samples)
                if (v <= limit) sum += v, ++kept;
            eval_s = kept ? sum / static_cast<double>(kept) * static_cast<double>(cycle) : 0;
        }
        std::printf("harness: %llu cycles; load %.3f s; loop %.3f s; eval %.3f s; loop cpu %.3f s\n",
                    static_cast<unsigned long long>(cycle), load_s, loop_s, eval_s, loop_cpu);
        std::fflush(stdout);
    }
    return status;
}
