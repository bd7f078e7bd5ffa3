// tb_fpunits - drives the Verilated tb_fpunits (every tf_fpadd, tf_fpmul and
// tf_fpwiden configuration under test) and checks each result bit for bit
// against the host CPU's IEEE 754 arithmetic; nothing here comes from other
// code of the project.
//
// Usage: Vtb [--seed S] [--random N]        the main run, described below
//        Vtb [--seed S] --vectors FILE N    operands for tb_iverilog.v
//        Vtb --check IN OUT                 check tb_iverilog.v's outputs
// --vectors writes N cycles of mixed operands (random pairs, a quarter of
// them with one operand replaced by a special value; random converter
// inputs) to FILE, one cycle per line; --check compares the outputs that
// tb_iverilog.v recorded for them (OUT) with the same reference.
//
// Every cycle new operand pairs go to the fp16, bf16 and fp32 units; a unit
// of latency L must show, in cycle t, the result for the operands of cycle
// t - L (checked once t >= L). Expected results:
//   fp32        a + b and a * b as C++ float (SSE: round to nearest even,
//               no flush to zero; checked at start-up);
//   fp16, bf16  the operands converted exactly to float, the operation done
//               in float and the float rounded once to the 16-bit format by
//               encode() below (round to nearest, ties to even). Rounding
//               twice does no harm because float carries 24 bits, at least
//               2p + 2 for p = 11 (fp16) and 8 (bf16). That argument needs
//               the float result to be normal, which bf16 products can miss,
//               so as a guard every operation is also done in double (exact
//               for products, 53 bits for sums) and rounded once from there:
//               the two must agree, else they count as "reference" errors.
//   NaN         must be the canonical quiet NaN of the format, exactly.
// Operands, per 16-bit format: first every pair (s, x) and (x, s) with s from
// a special set (zeros, subnormals, smallest and largest normals, 1 and its
// neighbours, powers of two beyond the fraction width, infinities, quiet
// and signalling NaNs, all with both signs: 64 values) and x over all 65536
// codes, then N random pairs (--random, default 3000000) from several
// generators (uniform codes, close exponents, near and exact cancellation,
// exponent gaps around the fraction width, tiny operands, products near the
// underflow and overflow limits; a third of all pairs then get short
// fractions). fp32 in the same cycles: special x special, each special
// against 10000 random operands both ways, then random pairs. The converters
// see every input code once (w16 = cycle and w8 = cycle in the first 65536
// and 256 cycles) and are checked through exact double values:
// decode(output) == decode(input) including the sign of zero, or the output
// is the canonical NaN when the input is a NaN.
//
// Prints the first mismatches, one line per configuration, and finally
// "tb_fpunits: C configurations, N operations checked, M mismatches"
// (M includes reference disagreements and failed self-checks). Exit 0 only
// when M = 0.
#include <cfenv>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "Vtb_fpunits.h"
#include "verilated.h"

namespace {

struct Fmt {
    const char *name;
    int exp, man, bias;
    bool has_inf; // IEEE-like; false: OCP E4M3 (no inf, only S.1111.111 is NaN)
};
enum { FP16, BF16, FP32, E4M3, E5M2, NFMT };
const Fmt FMT[NFMT] = {
    {"fp16", 5, 10, 15, true},
    {"bf16", 8, 7, 127, true},
    {"fp32", 8, 23, 127, true},
    {"e4m3", 4, 3, 7, false},
    {"e5m2", 5, 2, 15, true},
};

uint32_t ones(int n) { return n >= 32 ? 0xffffffffu : (1u << n) - 1; }
int width(const Fmt &f) { return 1 + f.exp + f.man; }
uint32_t sign_bit(const Fmt &f) { return 1u << (f.exp + f.man); }
uint32_t inf_code(const Fmt &f) { return ones(f.exp) << f.man; }
uint32_t qnan_code(const Fmt &f) { return ones(f.exp + 1) << (f.man - 1); }

// The exact value of code x (NaN for NaNs); signed zeros kept.
double decode(const Fmt &f, uint32_t x)
{
    uint32_t s = (x >> (f.exp + f.man)) & 1, e = (x >> f.man) & ones(f.exp), m = x & ones(f.man);
    if (e == ones(f.exp)) {
        if (f.has_inf)
            return m ? NAN : s ? -INFINITY : INFINITY;
        if (m == ones(f.man))
            return NAN;
    }
    double v = e ? std::ldexp((double)(m | (1u << f.man)), (int)e - f.bias - f.man)
                 : std::ldexp((double)m, 1 - f.bias - f.man);
    return s ? -v : v;
}

// v rounded once to the IEEE-like format f: to nearest, ties to even, with
// subnormals, overflow to infinity and the canonical quiet NaN. v must be
// exact in double after scaling by a power of two (true for every use here).
uint32_t encode(const Fmt &f, double v)
{
    if (std::isnan(v))
        return qnan_code(f);
    uint32_t s = std::signbit(v) ? sign_bit(f) : 0;
    if (std::isinf(v))
        return s | inf_code(f);
    double av = std::fabs(v);
    if (av == 0)
        return s;
    int e2;
    std::frexp(av, &e2); // av = 1.x * 2^(e2 - 1)
    int be = e2 - 1 + f.bias; // biased exponent if normal
    // significand in units of the last place: normal [2^man, 2^(man+1)),
    // subnormal [0, 2^man)
    double sig = be >= 1 ? std::ldexp(av, f.man - (e2 - 1)) : std::ldexp(av, f.man + f.bias - 1);
    double fl = std::floor(sig);
    double rest = sig - fl; // exact
    uint64_t n = (uint64_t)fl;
    if (rest > 0.5 || (rest == 0.5 && (n & 1)))
        n++;
    // a carry out of the significand moves into the exponent field by itself
    uint64_t code = be >= 1 ? ((uint64_t)(be - 1) << f.man) + n : n;
    if (code >= inf_code(f))
        return s | inf_code(f);
    return s | (uint32_t)code;
}

float f32(uint32_t x)
{
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}
uint32_t bits32(float f)
{
    uint32_t x;
    std::memcpy(&x, &f, 4);
    return x;
}

uint64_t ref_errors = 0; // reference paths that disagree

// Expected a + b and a * b in format fi (FP16, BF16 or FP32).
void reference(int fi, uint32_t a, uint32_t b, uint32_t &sum, uint32_t &prod)
{
    const Fmt &f = FMT[fi];
    if (fi == FP32) {
        float s = f32(a) + f32(b), p = f32(a) * f32(b);
        sum = std::isnan(s) ? qnan_code(f) : bits32(s);
        prod = std::isnan(p) ? qnan_code(f) : bits32(p);
        return;
    }
    double da = decode(f, a), db = decode(f, b);
    float fa = (float)da, fb = (float)db; // exact
    sum = encode(f, (double)(fa + fb));
    prod = encode(f, (double)(fa * fb));
    uint32_t sum_d = encode(f, da + db), prod_d = encode(f, da * db);
    if (sum_d != sum || prod_d != prod) {
        if (ref_errors < 10)
            std::printf("REFERENCE %s a=%08x b=%08x: float gives %08x %08x, double %08x %08x\n",
                        f.name, a, b, sum, prod, sum_d, prod_d);
        ref_errors++;
    }
}

// splitmix64
struct Rng {
    uint64_t s;
    uint64_t next()
    {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint32_t below(uint32_t n) { return (uint32_t)((next() >> 32) * n >> 32); }
};

uint32_t pack(const Fmt &f, uint32_t s, int e, uint32_t m)
{
    if (e < 0)
        e = 0;
    if (e > (int)ones(f.exp))
        e = (int)ones(f.exp);
    return (s & 1) << (f.exp + f.man) | (uint32_t)e << f.man | (m & ones(f.man));
}

// One random operand pair for format f, from a randomly chosen generator.
void random_pair(const Fmt &f, Rng &r, uint32_t &a, uint32_t &b)
{
    uint32_t w = ones(width(f));
    int emax = (int)ones(f.exp); // exponent field of inf/NaN
    a = (uint32_t)r.next() & w;
    b = (uint32_t)r.next() & w;
    int ea = (int)((a >> f.man) & ones(f.exp));
    uint32_t rnd = (uint32_t)r.next();
    switch (r.below(8)) {
    case 0: // uniform codes
    case 1:
        break;
    case 2: // close exponents, any signs: cancellation in the adder
        b = pack(f, rnd, ea + (int)r.below(5) - 2, rnd >> 1);
        break;
    case 3: // b = -a give or take a few codes: exact and near cancellation
        b = ((a ^ sign_bit(f)) + r.below(9) - 4) & w;
        break;
    case 4: { // exponent gap around the fraction width: guard, round, sticky
        int gap = f.man - 2 + (int)r.below(7);
        if (r.below(2))
            b = pack(f, rnd, ea - gap, rnd >> 1);
        else
            a = pack(f, rnd, (int)((b >> f.man) & ones(f.exp)) - gap, rnd >> 1);
        break;
    }
    case 5: // tiny operands: subnormal arithmetic
        a = pack(f, rnd, (int)r.below(3), (uint32_t)r.next());
        b = pack(f, rnd >> 1, (int)r.below(3), (uint32_t)r.next());
        break;
    default: { // products near the underflow and overflow limits
        int target = r.below(2) ? -f.man - 3 + (int)r.below(f.man + 6) // around 0
                                : emax - 3 + (int)r.below(5);          // around emax
        int e1 = 1 + (int)r.below((uint32_t)emax - 1);
        uint32_t m1 = (uint32_t)r.next(), m2 = (uint32_t)r.next();
        if (r.below(2)) { // sparse fractions: a few bits far apart, so that
            // the product's round bit and the bits shifted out into the
            // subnormal range can be set with only zeros in between
            m1 = (r.below(2) << r.below(f.man)) | (r.below(2) << r.below(f.man)) | r.below(2);
            m2 = (r.below(2) << r.below(f.man)) | (r.below(2) << r.below(f.man)) | r.below(2);
        }
        a = pack(f, rnd, e1, m1);
        b = pack(f, rnd >> 1, target + f.bias - e1, m2);
        break;
    }
    }
    // In a third of the pairs, short fractions (trailing zeros): products
    // and sums that are exact, exact ties, or just off a tie by bits that
    // only the sticky logic sees.
    if (r.below(3) == 0) {
        uint32_t keep = ~ones((int)r.below(f.man + 1)) | ~ones(f.man);
        a &= keep;
        keep = ~ones((int)r.below(f.man + 1)) | ~ones(f.man);
        b &= keep;
    }
}

// Special operands of format f: both signs of each.
std::vector<uint32_t> specials(const Fmt &f)
{
    const uint32_t m = ones(f.man), h = 1u << f.man, one = (uint32_t)f.bias << f.man;
    const uint32_t emax = ones(f.exp);
    std::vector<uint32_t> v = {
        0, 1, 2, 3, h >> 1, (h >> 1) + 1, m - 1, m,             // zero, subnormals
        h, h + 1, 2 * h - 1,                                    // smallest normals
        one, one + 1, one - 1, one - h, one + h,                // 1, its neighbours, 1/2, 2
        one | h >> 1, (one + h) | h >> 1, one | (0x55555555u & m), // 1.5, 3, 4/3
        (uint32_t)(f.bias + f.man + 1) << f.man,                // powers of two beyond
        (uint32_t)(f.bias + f.man + 2) << f.man,                //   the fraction width
        ((uint32_t)(f.bias + f.man + 3) << f.man) | 1,
        (uint32_t)(f.bias - f.man - 2) << f.man,
        ((uint32_t)(f.bias - f.man - 1) << f.man) | m,
        ((emax - 1) << f.man) | m, ((emax - 1) << f.man) | (m - 1), // largest normals
        (emax - 1) << f.man, ((emax - 2) << f.man) | m,
        emax << f.man, qnan_code(f), (emax << f.man) | 1, (emax << f.man) | m, // inf, NaNs
    };
    size_t n = v.size();
    for (size_t i = 0; i < n; i++)
        v.push_back(v[i] | sign_bit(f));
    return v;
}

// Known answers worked out by hand, to catch a broken reference.
int self_check()
{
    struct KA {
        int fi;
        uint32_t a, b, sum, prod;
    };
    static const KA ka[] = {
        {FP16, 0x3c00, 0x3c00, 0x4000, 0x3c00}, // 1 + 1, 1 * 1
        {FP16, 0x3c00, 0x1000, 0x3c00, 0x1000}, // 1 + 2^-11: tie, to even (down)
        {FP16, 0x3c01, 0x1000, 0x3c02, 0x1001}, // 1+2^-10 + 2^-11: tie, to even (up)
        {FP16, 0x0001, 0x3800, 0x3800, 0x0000}, // 2^-24 * 1/2: tie to 0
        {FP16, 0x0003, 0x3800, 0x3800, 0x0002}, // 3*2^-24 * 1/2: tie to 2*2^-24
        {FP16, 0x7bff, 0x4c00, 0x7c00, 0x7c00}, // 65504 + 16: tie, up to inf
        {FP16, 0x7bff, 0x4bff, 0x7bff, 0x7c00}, // 65504 + 15.99: stays
        {FP16, 0x3c00, 0xbc00, 0x0000, 0xbc00}, // 1 - 1 = +0
        {FP16, 0x8000, 0x8000, 0x8000, 0x0000}, // -0 + -0 = -0, -0 * -0 = +0
        {FP16, 0x7c00, 0xfc00, 0x7e00, 0xfc00}, // inf - inf = NaN
        {FP16, 0x7c00, 0x0000, 0x7c00, 0x7e00}, // inf * 0 = NaN
        {FP16, 0x7c01, 0x3c00, 0x7e00, 0x7e00}, // sNaN in: canonical qNaN out
        {FP16, 0x0400, 0x8001, 0x03ff, 0x8000}, // min normal - min subnormal
        {BF16, 0x3f80, 0x3b80, 0x3f80, 0x3b80}, // 1 + 2^-8: tie, to even
        {BF16, 0x0001, 0x3f00, 0x3f00, 0x0000}, // bf16 min subnormal * 1/2: tie to 0
        {FP32, 0x3f800000, 0x33800000, 0x3f800000, 0x33800000}, // 1 + 2^-24
        {FP32, 0x00000001, 0x3f000000, 0x3f000000, 0x00000000}, // subnormal, no FTZ
        {FP32, 0x00000003, 0x3f000000, 0x3f000000, 0x00000002},
        {FP32, 0x7f800000, 0xff800000, 0x7fc00000, 0xff800000},
    };
    int bad = 0;
    for (const KA &k : ka) {
        uint32_t s, p;
        reference(k.fi, k.a, k.b, s, p);
        if (s != k.sum || p != k.prod) {
            std::printf("SELFCHECK %s %08x %08x: reference %08x %08x, by hand %08x %08x\n",
                        FMT[k.fi].name, k.a, k.b, s, p, k.sum, k.prod);
            bad++;
        }
    }
    struct KD {
        int fi;
        uint32_t x;
        double v;
    };
    static const KD kd[] = {
        {E4M3, 0x7e, 448.0}, {E4M3, 0xfe, -448.0}, {E4M3, 0x01, 0x1p-9}, {E4M3, 0x08, 0x1p-6},
        {E4M3, 0x78, 256.0}, {E5M2, 0x7b, 57344.0}, {E5M2, 0x01, 0x1p-16},
        {E5M2, 0x7c, INFINITY}, {FP16, 0x0001, 0x1p-24}, {BF16, 0x0001, 0x1p-133},
    };
    for (const KD &k : kd)
        if (decode(FMT[k.fi], k.x) != k.v) {
            std::printf("SELFCHECK decode %s %02x\n", FMT[k.fi].name, k.x);
            bad++;
        }
    if (!std::isnan(decode(FMT[E4M3], 0x7f)) || !std::isnan(decode(FMT[E4M3], 0xff)) ||
        !std::isnan(decode(FMT[E5M2], 0x7d)) || std::signbit(decode(FMT[E4M3], 0x80)) == 0) {
        std::printf("SELFCHECK decode of FP8 NaN / -0\n");
        bad++;
    }
    if (std::fegetround() != FE_TONEAREST) {
        std::printf("SELFCHECK host rounding mode is not to nearest\n");
        bad++;
    }
    return bad;
}

template <std::size_t N> uint32_t word(const VlWide<N> &x, unsigned i) { return x[i]; }
inline uint32_t word(uint64_t x, unsigned i) { return i < 2 ? (uint32_t)(x >> (32 * i)) : 0; }
template <class T> unsigned byte(const T &x, unsigned i)
{
    return (word(x, i / 4) >> (8 * (i % 4))) & 0xff;
}

struct Unit {
    char kind;  // 'a' add, 'm' mul, 'w' widen
    int fi, fo; // format (input and output format for widen)
    int lat;
    unsigned port; // word of y_add / y_mul / y_wid
    uint64_t checked, bad;
};

// The operands of one cycle.
struct Inputs {
    uint32_t a[3], b[3]; // per format FP16, BF16, FP32
    uint32_t w8, w16;    // converter inputs
};

class Checker {
  public:
    std::vector<Unit> units;
    uint64_t shown = 0;

    // The instance tables, read from the model's constant outputs.
    bool read_units(Vtb_fpunits &top)
    {
        unsigned na = top.n_add, nm = top.n_mul, nw = top.n_wid;
        if (na * 4 > sizeof(top.y_add) || nm * 4 > sizeof(top.y_mul) || nw * 4 > sizeof(top.y_wid))
            return false;
        for (unsigned k = 0; k < na; k++)
            units.push_back({'a', (int)byte(top.cfg_add, k) >> 4, 0, (int)byte(top.cfg_add, k) & 15, k, 0, 0});
        for (unsigned k = 0; k < nm; k++)
            units.push_back({'m', (int)byte(top.cfg_mul, k) >> 4, 0, (int)byte(top.cfg_mul, k) & 15, k, 0, 0});
        for (unsigned k = 0; k < nw; k++)
            units.push_back({'w', (int)byte(top.cfg_wid, k) >> 4, (int)byte(top.cfg_wid, k) & 15, 0, k, 0, 0});
        for (const Unit &u : units)
            if (u.fi >= NFMT || u.fo >= NFMT || u.lat > 7 || (u.kind != 'w' && u.fi > FP32) ||
                (u.kind == 'w' && u.fo > FP32))
                return false;
        return true;
    }

    // Cycle t's operands and their expected results.
    void expect(uint64_t t, const Inputs &in)
    {
        for (int f = 0; f < 3; f++) {
            Hist &h = hist[f][t & 7];
            h.a = in.a[f];
            h.b = in.b[f];
            reference(f, h.a, h.b, h.sum, h.prod);
        }
    }

    // The outputs seen in cycle t (after expect(t)): words of y_add, y_mul
    // and y_wid. Converters with FP8 inputs are checked when check8 is set,
    // those with 16-bit inputs when check16 is set.
    void check(uint64_t t, const Inputs &in, const uint32_t *add, const uint32_t *mul,
               const uint32_t *wid, bool check8, bool check16, const char *sim)
    {
        for (Unit &u : units) {
            if (u.kind == 'w') {
                bool fp8 = u.fi == E4M3 || u.fi == E5M2;
                if (!(fp8 ? check8 : check16))
                    continue;
                uint32_t x = fp8 ? in.w8 : in.w16, got = wid[u.port];
                double v = decode(FMT[u.fi], x);
                bool ok;
                if (std::isnan(v)) {
                    ok = got == qnan_code(FMT[u.fo]);
                } else {
                    bool spill = width(FMT[u.fo]) < 32 && (got >> width(FMT[u.fo])) != 0;
                    double g = spill ? NAN : decode(FMT[u.fo], got);
                    ok = g == v && std::signbit(g) == std::signbit(v);
                }
                u.checked++;
                if (!ok) {
                    u.bad++;
                    if (shown++ < 20)
                        std::printf("MISMATCH %s widen %s->%s x=%02x: got %08x (%.17g), want %.17g\n",
                                    sim, FMT[u.fi].name, FMT[u.fo].name, x, got,
                                    decode(FMT[u.fo], got), v);
                }
                continue;
            }
            if (t < (uint64_t)u.lat)
                continue;
            const Hist &h = hist[u.fi][(t - u.lat) & 7];
            uint32_t got = u.kind == 'a' ? add[u.port] : mul[u.port];
            uint32_t want = u.kind == 'a' ? h.sum : h.prod;
            u.checked++;
            if (got != want) {
                u.bad++;
                if (shown++ < 20)
                    std::printf("MISMATCH %s %s %s L%d cycle %" PRIu64
                                ": a=%08x b=%08x got %08x want %08x\n",
                                sim, u.kind == 'a' ? "add" : "mul", FMT[u.fi].name, u.lat,
                                t - u.lat, h.a, h.b, got, want);
            }
        }
    }

    // Per-configuration lines; returns {checked, mismatches}.
    void report(bool lines, uint64_t &checked, uint64_t &bad) const
    {
        checked = bad = 0;
        for (const Unit &u : units) {
            const char *what = u.kind == 'a' ? "tf_fpadd" : u.kind == 'm' ? "tf_fpmul" : "tf_fpwiden";
            if (lines && u.kind == 'w')
                std::printf("%-10s %s->%s: %" PRIu64 " checked, %" PRIu64 " mismatches\n", what,
                            FMT[u.fi].name, FMT[u.fo].name, u.checked, u.bad);
            else if (lines)
                std::printf("%-10s %s LATENCY %d: %" PRIu64 " checked, %" PRIu64 " mismatches\n",
                            what, FMT[u.fi].name, u.lat, u.checked, u.bad);
            checked += u.checked;
            bad += u.bad;
        }
    }

  private:
    struct Hist {
        uint32_t a, b, sum, prod;
    } hist[3][8];
};

// Operand schedule of the main run (see the top of the file).
class Schedule {
  public:
    uint64_t cycles;
    Schedule(uint64_t seed, uint64_t nrand)
        : rng{{seed ^ 0x1111}, {seed ^ 0x2222}, {seed ^ 0x3333}}
    {
        for (int f = 0; f < 3; f++)
            sp[f] = specials(FMT[f]);
        n_sx[FP16] = (uint64_t)sp[FP16].size() * 2 * 65536;
        n_sx[BF16] = (uint64_t)sp[BF16].size() * 2 * 65536;
        nss32 = (uint64_t)sp[FP32].size() * sp[FP32].size();
        nsr32 = (uint64_t)sp[FP32].size() * 2 * PER_SPECIAL;
        cycles = (n_sx[FP16] > n_sx[BF16] ? n_sx[FP16] : n_sx[BF16]) + nrand;
        if (cycles < 65536 + 8)
            cycles = 65536 + 8;
    }
    void get(uint64_t t, Inputs &in)
    {
        for (int f = 0; f < 3; f++) {
            const std::vector<uint32_t> &s = sp[f];
            uint32_t &a = in.a[f], &b = in.b[f];
            if (f != FP32 && t < n_sx[f]) { // (special, every code) both ways
                uint64_t i = t >> 16;
                a = s[i >> 1];
                b = (uint32_t)(t & 0xffff);
                if (i & 1)
                    std::swap(a, b);
            } else if (f == FP32 && t < nss32) { // special x special
                a = s[t / s.size()];
                b = s[t % s.size()];
            } else if (f == FP32 && t < nss32 + nsr32) { // special x random, both ways
                uint64_t i = (t - nss32) / PER_SPECIAL;
                uint32_t y;
                random_pair(FMT[f], rng[f], b, y);
                a = s[i >> 1];
                if (i & 1)
                    std::swap(a, b);
            } else {
                random_pair(FMT[f], rng[f], a, b);
            }
        }
        in.w8 = (uint32_t)(t & 0xff);
        in.w16 = (uint32_t)(t & 0xffff);
    }
    // Mixed operands for the iverilog run: a quarter special x random.
    void get_mixed(Rng &r, Inputs &in)
    {
        for (int f = 0; f < 3; f++) {
            random_pair(FMT[f], r, in.a[f], in.b[f]);
            if (r.below(4) == 0) {
                uint32_t s = sp[f][r.below((uint32_t)sp[f].size())];
                (r.below(2) ? in.a[f] : in.b[f]) = s;
            }
        }
        in.w8 = (uint32_t)r.next() & 0xff;
        in.w16 = (uint32_t)r.next() & 0xffff;
    }

  private:
    static const uint64_t PER_SPECIAL = 10000;
    Rng rng[3];
    std::vector<uint32_t> sp[3];
    uint64_t n_sx[2] = {0, 0}, nss32 = 0, nsr32 = 0;
};

void drive(Vtb_fpunits &top, const Inputs &in)
{
    top.h_a = (uint16_t)in.a[FP16];
    top.h_b = (uint16_t)in.b[FP16];
    top.g_a = (uint16_t)in.a[BF16];
    top.g_b = (uint16_t)in.b[BF16];
    top.s_a = in.a[FP32];
    top.s_b = in.b[FP32];
    top.w8 = (uint8_t)in.w8;
    top.w16 = (uint16_t)in.w16;
}

// Parses a hex number of any length into 32-bit words, least significant
// word first. A word with an x or z digit becomes 0xffffffff, which is no
// expected value (a non-canonical NaN for fp32, too wide for 16 bits).
std::vector<uint32_t> hex_words(const char *s)
{
    size_t n = std::strlen(s);
    std::vector<uint32_t> w((n + 7) / 8, 0);
    std::vector<bool> unknown(w.size(), false);
    for (size_t i = 0; i < n; i++) {
        char c = s[n - 1 - i];
        if (c >= '0' && c <= '9')
            w[i / 8] |= (uint32_t)(c - '0') << (4 * (i % 8));
        else if (c >= 'a' && c <= 'f')
            w[i / 8] |= (uint32_t)(c - 'a' + 10) << (4 * (i % 8));
        else
            unknown[i / 8] = true;
    }
    for (size_t i = 0; i < w.size(); i++)
        if (unknown[i])
            w[i] = 0xffffffffu;
    return w;
}

// The iverilog run: IN holds one cycle of operands per line (written by
// --vectors), OUT the outputs tb_iverilog.v saw in that cycle.
int check_iverilog(Checker &chk, const char *in_name, const char *out_name)
{
    FILE *fi = std::fopen(in_name, "r"), *fo = std::fopen(out_name, "r");
    if (!fi || !fo) {
        std::printf("tb_fpunits: cannot open %s or %s\n", in_name, out_name);
        return 2;
    }
    static char la[4096], lm[4096], lw[4096];
    Inputs in;
    uint64_t t = 0;
    while (std::fscanf(fi, "%x %x %x %x %x %x %x %x", &in.a[FP16], &in.b[FP16], &in.a[BF16],
                       &in.b[BF16], &in.a[FP32], &in.b[FP32], &in.w8, &in.w16) == 8) {
        if (std::fscanf(fo, "%4095s %4095s %4095s", la, lm, lw) != 3) {
            std::printf("tb_fpunits: %s ends after %" PRIu64 " cycles\n", out_name, t);
            return 2;
        }
        std::vector<uint32_t> add = hex_words(la);
        std::vector<uint32_t> mul = hex_words(lm);
        std::vector<uint32_t> wid = hex_words(lw);
        size_t na = 0, nm = 0, nw = 0;
        for (const Unit &u : chk.units)
            (u.kind == 'a' ? na : u.kind == 'm' ? nm : nw)++;
        if (add.size() < na || mul.size() < nm || wid.size() < nw) {
            std::printf("tb_fpunits: short line %" PRIu64 " in %s\n", t, out_name);
            return 2;
        }
        chk.expect(t, in);
        chk.check(t, in, add.data(), mul.data(), wid.data(), true, true, "iverilog");
        t++;
    }
    std::fclose(fi);
    std::fclose(fo);
    uint64_t checked, bad;
    chk.report(true, checked, bad);
    bad += ref_errors;
    std::printf("tb_fpunits: iverilog: %" PRIu64 " operations checked, %" PRIu64 " mismatches\n",
                checked, bad);
    return bad == 0 && t > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    uint64_t seed = 20261123, nrand = 3000000, nvec = 0;
    const char *vec_name = nullptr, *check_in = nullptr, *check_out = nullptr;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = std::strtoull(argv[++i], nullptr, 0);
        else if (!std::strcmp(argv[i], "--random") && i + 1 < argc)
            nrand = std::strtoull(argv[++i], nullptr, 0);
        else if (!std::strcmp(argv[i], "--vectors") && i + 2 < argc) {
            vec_name = argv[++i];
            nvec = std::strtoull(argv[++i], nullptr, 0);
        } else if (!std::strcmp(argv[i], "--check") && i + 2 < argc) {
            check_in = argv[++i];
            check_out = argv[++i];
        } else {
            std::printf("usage: %s [--seed S] [--random N | --vectors FILE N] | --check IN OUT\n",
                        argv[0]);
            return 2;
        }
    }

    uint64_t bad_total = (uint64_t)self_check();
    const std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    const std::unique_ptr<Vtb_fpunits> top{new Vtb_fpunits{ctx.get()}};
    top->clk = 0;
    top->eval();
    Checker chk;
    if (!chk.read_units(*top)) {
        std::printf("tb_fpunits: bad instance tables in tb_fpunits.v\n");
        return 2;
    }
    if (check_in)
        return bad_total ? 1 : check_iverilog(chk, check_in, check_out);
    if (vec_name) { // operands for the iverilog run, nothing else
        FILE *f = std::fopen(vec_name, "w");
        if (!f) {
            std::printf("tb_fpunits: cannot write %s\n", vec_name);
            return 2;
        }
        Schedule sched(seed, 0);
        Inputs in;
        Rng r{seed ^ 0x4444};
        for (uint64_t t = 0; t < nvec; t++) {
            sched.get_mixed(r, in);
            std::fprintf(f, "%04x %04x %04x %04x %08x %08x %02x %04x\n", in.a[FP16], in.b[FP16],
                         in.a[BF16], in.b[BF16], in.a[FP32], in.b[FP32], in.w8, in.w16);
        }
        return std::fclose(f) == 0 ? 0 : 2;
    }

    Schedule sched(seed, nrand);
    Inputs in;
    std::vector<uint32_t> add(chk.units.size()), mul(chk.units.size()), wid(chk.units.size());
    for (uint64_t t = 0; t < sched.cycles; t++) {
        sched.get(t, in);
        chk.expect(t, in);
        drive(*top, in);
        top->clk = 0;
        top->eval();
        for (const Unit &u : chk.units) {
            if (u.kind == 'a')
                add[u.port] = word(top->y_add, u.port);
            else if (u.kind == 'm')
                mul[u.port] = word(top->y_mul, u.port);
            else
                wid[u.port] = word(top->y_wid, u.port);
        }
        chk.check(t, in, add.data(), mul.data(), wid.data(), t < 256, t < 65536, "verilator");
        top->clk = 1;
        top->eval();
    }
    top->final();

    uint64_t checked, bad;
    chk.report(true, checked, bad);
    bad_total += bad;
    if (ref_errors)
        std::printf("reference: float and double paths disagreed %" PRIu64 " times\n", ref_errors);
    bad_total += ref_errors;

    std::printf("tb_fpunits: %zu configurations, %" PRIu64 " operations checked, %" PRIu64
                " mismatches\n",
                chk.units.size(), checked, bad_total);
    return bad_total == 0 ? 0 : 1;
}
