/* gen_fxconv.c - writes the exhaustive test of rtl-templates/tf_fxconv.v
 * against fx_convert() of common/fixq.c (run by tests/fxconv/run.sh).
 *
 * A parameter point is a shape (IN_BITS, SHIFT, OUT_BITS, OUT_SIGNED and a
 * freely chosen F_out) crossed with one of the 7 x 4 mode pairs. For the
 * module, SHIFT = src_frac - F_out; for fx_convert the same point is the
 * value v * 2^-src_frac with src_frac = SHIFT + F_out into the format
 * W = OUT_BITS, I = OUT_BITS - F_out (F_out varies between shapes, so
 * negative I and I > W are converted too; the module must not care).
 *
 * Narrow shapes (IN_BITS <= 12, OUT_BITS <= 8): every input code.
 * Wide shapes (up to 64 bits, SHIFT +-64): NVEC fixed 64-bit vectors (edge
 * values, ties at every position, random values of random lengths), each
 * truncated to IN_BITS bits.
 *
 * Usage: gen_fxconv OUTDIR [netlist]. Writes OUTDIR/tb_fxconv.v (one tf_fxconv per
 * point, compares every output), OUTDIR/narrow.hex, OUTDIR/wide_in.hex,
 * OUTDIR/wide.hex (expected codes, $readmemh), OUTDIR/points.txt (index
 * and description of each point, as the testbench numbers them) and
 * OUTDIR/lint.txt (the -G options of each point, one line each). Prints
 * "POINTS CONVERSIONS" on stdout. With "netlist", the testbench
 * instantiates tf_fxconv_pN (no parameters) for point N instead, and the
 * Yosys scripts OUTDIR/synth0.ys (even N) and synth1.ys (odd N), run in
 * OUTDIR, synthesize each point from tf_fxconv.v into net_pN.v under that
 * name: the same checks then run on the synthesized gates. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixq.h"
#include "util.h"

struct shape {
    int in_bits, shift, out_bits, out_signed, f_out;
};

/* Exhaustive: IN_BITS <= NARROW_IN, OUT_BITS <= 8. Comments give the
 * case each shape is for (RW = width of the rounded value in the RTL). */
#define NARROW_IN 12
static const struct shape narrow[] = {
    { 2, 1, 1, 0, 0 },    /* SHIFT 1 (no rest bits), 1-bit unsigned */
    { 2, 5, 2, 1, 3 },    /* SHIFT > IN_BITS: only the sign is integer */
    { 2, -3, 4, 1, -1 },  /* left shift, overflows */
    { 2, 0, 3, 0, 2 },    /* no shift, unsigned wider than the input */
    { 5, 0, 3, 1, 1 },    /* no shift, overflows */
    { 5, 1, 7, 1, 4 },    /* rounded value narrower than the output */
    { 5, 2, 4, 0, -2 },   /* RW = OUT_BITS, unsigned */
    { 5, 2, 4, 1, 6 },    /* RW = OUT_BITS, signed */
    { 5, 5, 2, 1, 0 },    /* SHIFT = IN_BITS */
    { 5, 9, 1, 0, -3 },   /* SHIFT >> IN_BITS, 1-bit unsigned */
    { 5, -3, 7, 0, 2 },   /* left shift, RW = OUT_BITS + 1, unsigned */
    { 10, 1, 7, 1, 5 },   /* SHIFT 1 */
    { 10, 5, 5, 0, 1 },   /* RW = OUT_BITS + 1, unsigned */
    { 10, 9, 3, 0, 0 },   /* SHIFT = IN_BITS - 1 */
    { 10, 11, 2, 1, 8 },  /* SHIFT = IN_BITS + 1 */
    { 10, -3, 7, 1, 0 },  /* left shift, signed */
    { 12, 2, 4, 1, 2 },
    { 12, 5, 7, 0, 7 },
    { 12, 11, 2, 1, -4 }, /* SHIFT = IN_BITS - 1, signed */
    { 12, 13, 1, 0, 1 },  /* SHIFT = IN_BITS + 1, 1-bit unsigned */
    { 12, 0, 7, 0, 3 },   /* no shift, unsigned */
    { 12, 9, 3, 1, 0 },
};

/* Sampled: NVEC vectors each. */
#define NVEC 256
static const struct shape wide[] = {
    { 16, 4, 8, 1, 4 },     /* the module's defaults */
    { 16, 64, 8, 1, 0 },    /* SHIFT 64 */
    { 16, -64, 64, 1, 0 },  /* SHIFT -64, 64-bit output */
    { 2, -64, 2, 1, 0 },
    { 3, 64, 1, 0, 0 },
    { 33, 17, 16, 1, 3 },
    { 40, 0, 64, 0, 0 },    /* unsigned 64-bit output, narrower input */
    { 63, 1, 64, 1, 0 },    /* RW = 63 < OUT_BITS */
    { 64, 1, 64, 1, -20 },  /* RW = OUT_BITS */
    { 64, 1, 63, 0, 0 },    /* RW = OUT_BITS + 1, unsigned */
    { 64, 4, 64, 0, 0 },
    { 64, -1, 64, 1, 10 },
    { 64, 63, 2, 1, 0 },
    { 64, 64, 64, 0, 0 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NMODES (FXQ__COUNT * FXO__COUNT)

static uint64_t rng_state = 0x5eed0f1c0de5ULL;
static uint64_t rnd(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The low n bits of u as a signed value. */
static int64_t sext(uint64_t u, int n)
{
    uint64_t m = n == 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1;
    u &= m;
    if (n < 64 && (u >> (n - 1)))
        u |= ~m;
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)~u - 1;
}

static uint64_t expect(const struct shape *s, int q, int o, uint64_t xbits)
{
    struct fx_format f = { s->out_bits, s->out_bits - s->f_out, s->out_signed };
    const char *why = fx_format_check(&f);
    if (why)
        die("shape %d/%d/%d: %s", s->in_bits, s->shift, s->out_bits, why);
    int64_t c = fx_convert(sext(xbits, s->in_bits), s->shift + s->f_out, &f, (enum fx_quant)q,
                           (enum fx_ovf)o);
    uint64_t m = s->out_bits == 64 ? UINT64_MAX : ((uint64_t)1 << s->out_bits) - 1;
    return (uint64_t)c & m;
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp)
        die("cannot write %s", path);
    return fp;
}

static void close_out(FILE *fp)
{
    if (ferror(fp) || fclose(fp))
        die("write error");
}

static void describe(FILE *fp, int idx, const struct shape *s, int q, int o)
{
    fprintf(fp, "%d IN_BITS=%d SHIFT=%d OUT_BITS=%d OUT_SIGNED=%d QUANT=%d(%s) OVF=%d(%s)"
                " [fx_convert src_frac=%d W=%d I=%d %s]\n",
            idx, s->in_bits, s->shift, s->out_bits, s->out_signed, q, fx_quant_names[q], o,
            fx_ovf_names[o], s->shift + s->f_out, s->out_bits, s->out_bits - s->f_out,
            s->out_signed ? "signed" : "unsigned");
}

static FILE *ys2[2]; /* Yosys scripts in netlist mode, else NULL */

static void instance(FILE *tb, FILE *lint, int idx, const struct shape *s, int q, int o,
                     const char *xsig)
{
    fprintf(tb, "    wire [%d:0] y%d;\n", s->out_bits - 1, idx);
    if (ys2[0]) {
        FILE *ys = ys2[idx % 2];
        fprintf(tb, "    tf_fxconv_p%d u%d (.x(%s[%d:0]), .y(y%d));\n", idx, idx, xsig,
                s->in_bits - 1, idx);
        /* chparam cannot parse "-3": a negative SHIFT goes in as its 32-bit
         * pattern, which the integer parameter reads back as signed */
        fprintf(ys, "design -load src\n"
                    "chparam -set IN_BITS %d -set SHIFT 32'h%08x -set OUT_BITS %d"
                    " -set OUT_SIGNED %d -set QUANT %d -set OVF %d tf_fxconv\n"
                    "synth -top tf_fxconv\n"
                    "rename tf_fxconv tf_fxconv_p%d\n"
                    "write_verilog -noattr net_p%d.v\n",
                s->in_bits, (unsigned)s->shift & 0xffffffffu, s->out_bits, s->out_signed, q, o,
                idx, idx);
    } else {
        fprintf(tb, "    tf_fxconv #(.IN_BITS(%d), .SHIFT(%d), .OUT_BITS(%d), .OUT_SIGNED(%d),"
                    " .QUANT(%d), .OVF(%d))\n        u%d (.x(%s[%d:0]), .y(y%d));\n",
                s->in_bits, s->shift, s->out_bits, s->out_signed, q, o, idx, xsig,
                s->in_bits - 1, idx);
    }
    fprintf(lint, "-GIN_BITS=%d -GSHIFT=%d -GOUT_BITS=%d -GOUT_SIGNED=%d -GQUANT=%d -GOVF=%d\n",
            s->in_bits, s->shift, s->out_bits, s->out_signed, q, o);
}

/* y of point idx zero-extended to `to` bits */
static void zext(FILE *tb, int idx, int bits, int to)
{
    if (bits < to)
        fprintf(tb, "{%d'd0, y%d}", to - bits, idx);
    else
        fprintf(tb, "y%d", idx);
}

int main(int argc, char **argv)
{
    if (argc != 2 && !(argc == 3 && !strcmp(argv[2], "netlist"))) {
        fprintf(stderr, "usage: gen_fxconv OUTDIR [netlist]\n");
        return 2;
    }
    const char *dir = argv[1];
    if (argc == 3) {
        for (int j = 0; j < 2; j++) {
            ys2[j] = open_out(dir, j ? "synth1.ys" : "synth0.ys");
            fprintf(ys2[j], "read_verilog -DSYNTH tf_fxconv.v\ndesign -save src\n");
        }
    }
    FILE *tb = open_out(dir, "tb_fxconv.v"), *lint = open_out(dir, "lint.txt");
    FILE *pts = open_out(dir, "points.txt"), *nhex = open_out(dir, "narrow.hex");
    FILE *win = open_out(dir, "wide_in.hex"), *whex = open_out(dir, "wide.hex");
    int nn = (int)(COUNT(narrow) * NMODES), nw = (int)(COUNT(wide) * NMODES);
    long narrow_conv = 0;
    for (size_t i = 0; i < COUNT(narrow); i++)
        narrow_conv += (long)NMODES << narrow[i].in_bits;

    /* wide input vectors */
    uint64_t vec[NVEC];
    int nv = 0;
    const uint64_t fixed[] = { 0, 1, UINT64_MAX, (uint64_t)1 << 63, ((uint64_t)1 << 63) - 1,
                               2, UINT64_MAX - 1, ((uint64_t)1 << 63) + 1 };
    for (size_t i = 0; i < COUNT(fixed); i++)
        vec[nv++] = fixed[i];
    for (int p = 1; p <= 64 && nv < NVEC; p++) { /* exact ties at bit p-1, both signs */
        uint64_t t = (uint64_t)1 << (p - 1);
        vec[nv++] = (rnd() << 1 << (p - 1)) | t;
        if (nv < NVEC)
            vec[nv++] = (uint64_t)sext((rnd() << 1 << (p - 1)) | t, 1 + (int)(rnd() % 64));
    }
    while (nv < NVEC) { /* random values of random lengths */
        uint64_t u = rnd();
        if (nv % 3)
            u = (uint64_t)sext(u, 1 + (int)(rnd() % 64));
        vec[nv++] = u;
    }
    for (int k = 0; k < NVEC; k++)
        fprintf(win, "%016" PRIx64 "\n", vec[k]);

    fprintf(tb, "// Generated by tests/fxconv/gen_fxconv.c: tf_fxconv vs. fx_convert.\n"
                "`default_nettype none\n"
                "module tb_fxconv;\n"
                "    reg [%d:0] x;\n"
                "    reg [63:0] xw;\n"
                "    reg [7:0] exp_n [0:%ld];\n"
                "    reg [63:0] vec_w [0:%d];\n"
                "    reg [63:0] exp_w [0:%d];\n"
                "    integer i, checked, errors;\n",
            NARROW_IN - 1, narrow_conv - 1, NVEC - 1, nw * NVEC - 1);
    int idx = 0;
    long off = 0;
    for (size_t i = 0; i < COUNT(narrow); i++)
        for (int q = 0; q < FXQ__COUNT; q++)
            for (int o = 0; o < FXO__COUNT; o++, idx++) {
                const struct shape *s = &narrow[i];
                if (s->in_bits > NARROW_IN || s->out_bits > 8)
                    die("narrow shape %zu too wide", i);
                instance(tb, lint, idx, s, q, o, "x");
                describe(pts, idx, s, q, o);
                for (uint64_t c = 0; c < (uint64_t)1 << s->in_bits; c++)
                    fprintf(nhex, "%02" PRIx64 "\n", expect(s, q, o, c));
            }
    for (size_t i = 0; i < COUNT(wide); i++)
        for (int q = 0; q < FXQ__COUNT; q++)
            for (int o = 0; o < FXO__COUNT; o++, idx++) {
                instance(tb, lint, idx, &wide[i], q, o, "xw");
                describe(pts, idx, &wide[i], q, o);
                for (int k = 0; k < NVEC; k++)
                    fprintf(whex, "%016" PRIx64 "\n", expect(&wide[i], q, o, vec[k]));
            }

    fprintf(tb, "\n    task miss(input integer p, input [63:0] xv, input [63:0] got,"
                " input [63:0] want);\n"
                "        begin\n"
                "            errors = errors + 1;\n"
                "            if (errors <= 20)\n"
                "                $display(\"MISMATCH %%0d x=%%h got %%h expected %%h\","
                " p, xv, got, want);\n"
                "        end\n"
                "    endtask\n\n"
                "    initial begin\n"
                "        checked = 0;\n"
                "        errors = 0;\n"
                "        $readmemh(\"%s/narrow.hex\", exp_n);\n"
                "        $readmemh(\"%s/wide_in.hex\", vec_w);\n"
                "        $readmemh(\"%s/wide.hex\", exp_w);\n"
                "        for (i = 0; i < %d; i = i + 1) begin\n"
                "            x = i[%d:0];\n"
                "            #1;\n",
            dir, dir, dir, 1 << NARROW_IN, NARROW_IN - 1);
    idx = 0;
    off = 0;
    for (size_t i = 0; i < COUNT(narrow); i++)
        for (int m = 0; m < NMODES; m++, idx++) {
            const struct shape *s = &narrow[i];
            if (s->in_bits < NARROW_IN)
                fprintf(tb, "            if (i < %d) begin\n    ", 1 << s->in_bits);
            fprintf(tb, "            checked = checked + 1; if (");
            zext(tb, idx, s->out_bits, 8);
            fprintf(tb, " !== exp_n[%ld + i]) miss(%d, {52'd0, x}, {56'd0, ", off, idx);
            zext(tb, idx, s->out_bits, 8);
            fprintf(tb, "}, {56'd0, exp_n[%ld + i]});\n", off);
            if (s->in_bits < NARROW_IN)
                fprintf(tb, "            end\n");
            off += 1L << s->in_bits;
        }
    fprintf(tb, "        end\n"
                "        for (i = 0; i < %d; i = i + 1) begin\n"
                "            xw = vec_w[i];\n"
                "            #1;\n",
            NVEC);
    for (size_t i = 0; i < COUNT(wide); i++)
        for (int m = 0; m < NMODES; m++, idx++) {
            int p = idx - nn;
            fprintf(tb, "            checked = checked + 1; if (");
            zext(tb, idx, wide[i].out_bits, 64);
            fprintf(tb, " !== exp_w[%d + i]) miss(%d, xw, ", p * NVEC, idx);
            zext(tb, idx, wide[i].out_bits, 64);
            fprintf(tb, ", exp_w[%d + i]);\n", p * NVEC);
        }
    fprintf(tb, "        end\n"
                "        $display(\"tb_fxconv: %%0d checked, %%0d mismatches\", checked, errors);\n"
                "        $finish;\n"
                "    end\n"
                "endmodule\n"
                "`default_nettype wire\n");
    close_out(tb);
    close_out(lint);
    close_out(pts);
    close_out(nhex);
    close_out(win);
    close_out(whex);
    if (ys2[0]) {
        close_out(ys2[0]);
        close_out(ys2[1]);
    }
    printf("%d %ld\n", nn + nw, narrow_conv + (long)nw * NVEC);
    return 0;
}
