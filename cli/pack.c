/* pack.c - `ternforge pack`: the weight or activation stream the core
 * consumes, one beat per line in hex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../model/kind.h"
#include "util.h"

struct pack_args {
    struct point_args pt;
    const char *out, *weights, *acts, *scales;
};

static const struct opt opts[] = {
    OPT_POINT(struct pack_args, pt),
    { "--weights", 0, "W.txt", "the weight matrix W (M x N ternary)", 0, opt_str,
      offsetof(struct pack_args, weights), 0, 0 },
    { "--acts", 0, "X.txt", "the activation matrix X (N x B), instead of --weights", 0,
      opt_str, offsetof(struct pack_args, acts), 0, 0 },
    { "--scales", 0, "S.txt", "block-scaled act_type, with --acts: the scale codes, "
      "ceil(N/k) x B (docs/protocol.md: each beat carries its block's scale)", 0, opt_str,
      offsetof(struct pack_args, scales), 0, 0 },
    { NULL, 'o', "FILE", "write the stream here", OPT_REQ, opt_str,
      offsetof(struct pack_args, out), 0, 0 },
    OPT_SET(struct pack_args, pt),
    { 0 }
};

/* interface=axis: each beat as the tdata it travels in, the native beat
 * in the low bits and zeros above, up to whole bytes. */
static void pad_beats(struct strbuf *sb, int bits)
{
    int have = (bits + 3) / 4, want = (bits + 7) / 8 * 2;
    if (want == have || !sb->len)
        return;
    struct strbuf out = STRBUF_INIT;
    for (const char *p = sb->buf; *p;) {
        size_t n = strcspn(p, "\n");
        if (n != (size_t)have)
            BUG("pack: a beat of %zu hex digits, expected %d", n, have);
        for (int i = have; i < want; i++)
            sb_add(&out, "0", 1);
        sb_add(&out, p, n + (p[n] == '\n'));
        p += n + (p[n] == '\n');
    }
    sb_release(sb);
    *sb = out;
}

static int run_pack(int argc, char **argv)
{
    struct pack_args a = { 0 };
    struct design_point dp;
    struct matrix W, X;
    int rc = 1;
    if (opt_parse(&cmd_pack, argc, argv, &a) || load_point(&a.pt, &dp, "pack"))
        goto out;
    if (!a.out) {
        error("%s: error: pack: missing '-o FILE'", tf_progname);
        goto out;
    }
    if (!a.weights == !a.acts) {
        error("%s: error: pack: give exactly one of --weights and --acts", tf_progname);
        goto out;
    }
    if (read_inputs(&dp, a.weights, a.acts, &W, &X, 0, 0, 0))
        goto out;
    if (a.scales && !a.acts) {
        error("%s: error: pack: --scales goes with --acts", tf_progname);
        mat_free(&W);
        goto out;
    }
    if (a.acts && read_scales(&dp, a.scales, &X)) {
        mat_free(&X);
        goto out;
    }
    struct strbuf sb = STRBUF_INIT;
    const struct kind_ops *k = kind_get(&dp);
    if (W.v)
        kind_pack_weights(&dp, &W, NULL, &sb); /* documented zeros */
    else
        for (int b = 0; b < X.cols; b += (int)dp.batch) /* a job per batch columns */
            k->pack_acts(&dp, &X, b, NULL, &sb);
    if (dp.interface == IF_AXIS)
        pad_beats(&sb, W.v ? dp.d.wgt_bits : dp.d.act_bits);
    rc = write_file_atomic(a.out, sb.buf ? sb.buf : "", sb.len);
    sb_release(&sb);
    mat_free(&W);
    mat_free(&X);
out:
    free(a.pt.sets.v);
    return rc ? 1 : 0;
}

const struct command cmd_pack = {
    "pack", run_pack, "pack weights (or activations) into the core's stream", opts,
    "usage: ternforge pack P.xml --weights W.txt -o W.hex [--set NAME=VALUE]...\n"
    "       ternforge pack P.xml --acts X.txt [--scales S.txt] -o X.hex\n",
    "\n"
    "Write the stream the core consumes, one beat per line in hex (most\n"
    "significant digit first, exactly ceil(bits/4) digits; with interface=axis\n"
    "the beat as its tdata: zeros above it up to whole bytes). The weight\n"
    "stream of one job (one column of X) comes in the order of\n"
    "docs/protocol.md; docs/weights.md gives the keys bit for bit. With\n"
    "--acts, the activation beats of every column of X, column after column;\n"
    "block-scaled act_type (mxint8, ..., nvfp4) needs --scales, and each beat\n"
    "carries its block's scale code above the lanes (docs/protocol.md).\n",
    0, 0
};
