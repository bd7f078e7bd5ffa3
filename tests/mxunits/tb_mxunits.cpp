// tb_mxunits - drives the Verilated tb_mxunits (block converters tf_mxconv and element decoders tf_mxdec) and checks every result bit for bit.
// Usage: Vtb_mxunits [SEED] [CYCLES]
// References, written from issue 18's contract and the OCP/IEEE format
// definitions, sharing no code with the project:
//   converter  the exact value (-1)^s * |s| * ms * 2^(sx - POINT) is a
//              double (|s| * ms < 2^43, exponents far inside double range),
//              rounded once into the target: fp32 by the host's double ->
//              float conversion (SSE, round to nearest even, subnormals),
//              fp16 by the compiler's double -> _Float16 conversion (libgcc,
//              correctly rounded), bf16 by round_fmt() below (rint on the
//              ulp grid); round_fmt() must also agree with the host on every
//              fp32 and fp16 check, else a "reference" error is counted.
//              Flags and scale NaN give the canonical NaN, +-Inf, Inf * 0 of
//              a zero UE4M3 scale NaN, an exact zero +0.
//   decoder    each code's value from the field formulas, times 2^P, must
//              be the decoder's integer; NaN/Inf codes give 0 and a flag.
// Inputs: first, for every scale code, each converter's special sums (0,
// +-2^j, +-(2^j +- 1), +-(2^j + 2^i): exact ties for every shift, the
// extreme values of its width); then random sums of random bit lengths,
// with random flags on one cycle in eight. A converter of latency L is
// checked against the inputs of L cycles earlier. Decoders see every code.
// Prints "mxunits: N configurations, M checks, K mismatches".
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "Vtb_mxunits.h"
#include "verilated.h"

struct conv { int sw, point, scale, exp, man, lat; const char *name; };
static const conv CONVS[] = {
    { 13, 6, 0, 8, 23, 0, "mxint8->fp32" },   { 24, 9, 0, 8, 23, 0, "e4m3->fp32" },
    { 38, 16, 0, 8, 23, 1, "e5m2->fp32" },    { 15, 4, 0, 8, 23, 0, "e3m2->fp32" },
    { 12, 3, 0, 8, 23, 0, "e2m3->fp32" },     { 10, 1, 0, 8, 23, 0, "mxfp4->fp32" },
    { 9, 1, 1, 8, 23, 0, "nvfp4->fp32" },     { 38, 16, 0, 5, 10, 0, "e5m2->fp16" },
    { 13, 6, 0, 5, 10, 3, "mxint8->fp16" },   { 9, 1, 1, 5, 10, 0, "nvfp4->fp16" },
    { 24, 9, 0, 8, 7, 0, "e4m3->bf16" },      { 10, 1, 0, 8, 7, 0, "mxfp4->bf16" },
    { 38, 16, 0, 8, 7, 2, "e5m2->bf16" },     { 9, 1, 1, 8, 7, 1, "nvfp4->bf16" },
};
struct dec { int exp, man, special, iw; const char *name; };
static const dec DECS[] = {
    { 2, 1, 0, 5, "E2M1" }, { 2, 3, 0, 7, "E2M3" }, { 3, 2, 0, 10, "E3M2" },
    { 4, 3, 1, 19, "E4M3" }, { 5, 2, 2, 33, "E5M2" },
};
enum { NC = sizeof CONVS / sizeof *CONVS, ND = sizeof DECS / sizeof *DECS, HIST = 8 };

static uint64_t rng_state;
static uint64_t rnd()
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

// Round a double once into (exp, man): nearest even, subnormals, overflow
// to infinity. Returns the bit pattern.
static uint32_t round_fmt(double d, int exp, int man)
{
    uint32_t sign = std::signbit(d) ? 1u : 0u;
    double a = std::fabs(d);
    uint32_t out_sign = sign << (exp + man);
    if (a == 0)
        return 0;
    int bias = (1 << (exp - 1)) - 1, e;
    std::frexp(a, &e); // a = f * 2^e, f in [0.5, 1)
    int q = e - 1 - man;
    if (q < 1 - bias - man)
        q = 1 - bias - man;
    double n = std::rint(std::ldexp(a, -q)); // exact scaling, RNE
    uint64_t pat = (uint64_t)(q + bias + man - 1) * ((uint64_t)1 << man) + (uint64_t)n;
    uint64_t inf = (uint64_t)((1 << exp) - 1) << man;
    if (pat >= inf)
        pat = inf;
    return out_sign | (uint32_t)pat;
}

static uint32_t host_round(double d, int exp, int man, int *have)
{
    *have = 1;
    if (exp == 8 && man == 23) {
        float f = (float)d;
        uint32_t u;
        std::memcpy(&u, &f, 4);
        return u;
    }
    if (exp == 5 && man == 10) {
        _Float16 h = (_Float16)d;
        uint16_t u;
        std::memcpy(&u, &h, 2);
        return u;
    }
    *have = 0;
    return 0;
}

struct in { int64_t s[NC]; int sc, fl; };
static long checks, bad, refbad;

static int64_t sext(uint64_t v, int w)
{
    uint64_t m = (uint64_t)1 << (w - 1);
    v &= (w == 64 ? ~0ull : ((uint64_t)1 << w) - 1);
    return (int64_t)((v ^ m) - m);
}

static uint32_t expect(const conv &c, int64_t s, int sc, int fl, long *rb)
{
    int bias = (1 << (c.exp - 1)) - 1;
    uint32_t qnan = ((uint32_t)((1 << c.exp) - 1) << c.man) | (1u << (c.man - 1));
    uint32_t inf = (uint32_t)((1 << c.exp) - 1) << c.man;
    (void)bias;
    int snan, szero = 0, ms, sx;
    if (!c.scale) {
        snan = sc == 255;
        ms = 1;
        sx = sc - 127;
    } else {
        int v = sc & 0x7f, E = v >> 3, f = v & 7;
        snan = v == 0x7f;
        szero = v == 0;
        ms = E ? 8 + f : f;
        sx = (E ? E : 1) - 10;
    }
    int nan = fl & 1, pinf = fl >> 1 & 1, ninf = fl >> 2 & 1;
    if (nan || snan || (pinf && ninf) || ((pinf || ninf) && szero))
        return qnan;
    if (pinf || ninf)
        return (ninf ? 1u << (c.exp + c.man) : 0) | inf;
    double mag = (double)(s < 0 ? -(uint64_t)s : (uint64_t)s) * ms;
    if (mag == 0)
        return 0;
    double d = std::ldexp(s < 0 ? -mag : mag, sx - c.point);
    uint32_t r = round_fmt(d, c.exp, c.man);
    int have;
    uint32_t h = host_round(d, c.exp, c.man, &have);
    if (have && h != r) {
        if (++*rb <= 10)
            std::printf("reference: %s value %a host 0x%x round_fmt 0x%x\n", c.name, d, h, r);
        return h;
    }
    return r;
}

int main(int argc, char **argv)
{
    unsigned long seed = argc > 1 ? std::strtoul(argv[1], NULL, 10) : 20261123ul;
    long cycles = argc > 2 ? std::atol(argv[2]) : 1000000;
    std::printf("tb_mxunits: seed %lu\n", seed);
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    Verilated::commandArgs(1, argv);
    Vtb_mxunits *top = new Vtb_mxunits;

    // special sums per converter
    std::vector<int64_t> spec[NC];
    size_t nspec = 0;
    for (int i = 0; i < NC; i++) {
        int w = CONVS[i].sw;
        std::vector<int64_t> &v = spec[i];
        v.push_back(0);
        v.push_back(sext((uint64_t)1 << (w - 1), w));       // most negative
        v.push_back(sext(((uint64_t)1 << (w - 1)) - 1, w)); // most positive
        for (int j = 0; j < w - 1; j++) {
            int64_t p = (int64_t)1 << j;
            for (int sg = -1; sg <= 1; sg += 2) {
                v.push_back(sg * p);
                v.push_back(sg * (p + 1));
                if (p > 1)
                    v.push_back(sg * (p - 1));
                for (int k = 0; k < j; k++)
                    v.push_back(sg * (p + ((int64_t)1 << k)));
            }
        }
        if (v.size() > nspec)
            nspec = v.size();
    }
    long total = (long)nspec * 256 + cycles;
    static in hist[HIST];
    long mism[NC] = { 0 }, dmism[ND] = { 0 };
    for (long t = 0; t < total; t++) {
        in &cur = hist[t % HIST];
        if (t < (long)nspec * 256) {
            cur.sc = (int)(t & 255);
            for (int i = 0; i < NC; i++)
                cur.s[i] = spec[i][(size_t)(t >> 8) % spec[i].size()];
            cur.fl = 0;
        } else {
            cur.sc = (int)(rnd() & 255);
            for (int i = 0; i < NC; i++) {
                int w = CONVS[i].sw, k = (int)(rnd() % (uint64_t)(w + 1));
                uint64_t v = k == 0 ? 0 : rnd() & (k >= 64 ? ~0ull : ((uint64_t)1 << k) - 1);
                if (k == w)
                    cur.s[i] = sext(v, w);
                else
                    cur.s[i] = (rnd() & 1) && k < w ? -(int64_t)(v >> 1) : (int64_t)(v >> 1);
            }
            cur.fl = (rnd() & 7) == 0 ? (int)(rnd() & 7) : 0;
        }
        for (int i = 0; i < NC; i++) {
            uint64_t u = (uint64_t)cur.s[i];
            top->s_all[2 * i] = (uint32_t)u;
            top->s_all[2 * i + 1] = (uint32_t)(u >> 32);
        }
        top->sc = cur.sc;
        top->fl = cur.fl;
        top->code = (uint8_t)(t & 255);
        top->clk = 0;
        top->eval();
        for (int i = 0; i < NC; i++) {
            const conv &c = CONVS[i];
            if (t < c.lat)
                continue;
            const in &o = hist[(t - c.lat) % HIST];
            uint32_t want = expect(c, o.s[i], o.sc, o.fl, &refbad);
            uint32_t got = top->y_all[i];
            checks++;
            if (got != want && ++mism[i] <= 5)
                std::printf("MISMATCH %s: s=%lld sc=0x%02x flags=%d: rtl 0x%x expected 0x%x\n",
                            c.name, (long long)o.s[i], o.sc, o.fl, got, want);
        }
        for (int j = 0; j < ND && t < 256; j++) {
            const dec &dd = DECS[j];
            int bits = 1 + dd.exp + dd.man, code = (int)(t & ((1 << bits) - 1));
            if (t >= (1 << bits))
                continue;
            int bias = (1 << (dd.exp - 1)) - 1, P = bias - 1 + dd.man;
            int sg = code >> (bits - 1), e = code >> dd.man & ((1 << dd.exp) - 1);
            int f = code & ((1 << dd.man) - 1), emax = (1 << dd.exp) - 1;
            int nan = dd.special == 1 ? e == emax && f == (1 << dd.man) - 1
                    : dd.special == 2 ? e == emax && f != 0 : 0;
            int inf = dd.special == 2 && e == emax && f == 0;
            double val = e == 0 ? std::ldexp(f, 1 - bias - dd.man)
                                : std::ldexp((1 << dd.man) + f, e - bias - dd.man);
            double iv = nan || inf ? 0 : std::ldexp(sg ? -val : val, P);
            int64_t want = (int64_t)iv;
            int wfl = nan | (inf && !sg) << 1 | (inf && sg) << 2;
            uint64_t lo = top->v_all[2 * j], hi = top->v_all[2 * j + 1];
            int64_t got = (int64_t)(lo | hi << 32);
            int gfl = (int)(top->f_all >> (3 * j) & 7);
            checks++;
            if ((double)want != iv || got != want || gfl != wfl) {
                if (++dmism[j] <= 5)
                    std::printf("MISMATCH %s code 0x%x: rtl %lld flags %d, expected %lld flags %d\n",
                                dd.name, code, (long long)got, gfl, (long long)want, wfl);
            }
        }
        top->clk = 1;
        top->eval();
    }
    long nbad = 0;
    for (int i = 0; i < NC; i++)
        nbad += mism[i];
    for (int j = 0; j < ND; j++)
        nbad += dmism[j];
    bad = nbad + refbad;
    std::printf("mxunits: %d configurations, %ld checks, %ld mismatches\n", NC + ND, checks, bad);
    delete top;
    return bad ? 1 : 0;
}
