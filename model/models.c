/* models.c - the built-in model workloads (models.h). Every shape is a
 * field of the model's public config.json (or, for a fine-tune, of the
 * model it was fine-tuned from), cited in docs/models.md; a model whose
 * shapes could not be read is not here. */
#include "models.h"

#include <stddef.h>
#include <string.h>

/* A Llama-style layer (q, k, v, o, gate, up, down) of hidden size H, FFN
 * size F, nh query and nkv key-value heads of d: q is (nh d) x H, k and v
 * (nkv d) x H, o H x (nh d), gate and up F x H, down H x F. */
#define LLAMA_LAYER(H, F, nh, nkv, d)                                                        \
    7, {                                                                                    \
        { "q", (nh) * (d), (H) }, { "k", (nkv) * (d), (H) }, { "v", (nkv) * (d), (H) },     \
        { "o", (H), (nh) * (d) }, { "gate", (F), (H) }, { "up", (F), (H) },                 \
        { "down", (H), (F) },                                                               \
    }

const struct model_desc model_table[] = {
    /* name, HF repo, hidden, ffn, layers, heads, kv heads, head_dim, vocab */
    { "bitnet-b1.58-2b4t", "microsoft/bitnet-b1.58-2B-4T", 2560, 6912, 30, 20, 5, 128, 128256,
      LLAMA_LAYER(2560, 6912, 20, 5, 128) },
    { "bitnet-b1.58-large", "1bitLLM/bitnet_b1_58-large", 1536, 4096, 24, 16, 16, 96, 32002,
      LLAMA_LAYER(1536, 4096, 16, 16, 96) },
    { "bitnet-b1.58-3b", "1bitLLM/bitnet_b1_58-3B", 3200, 8640, 26, 32, 32, 100, 32002,
      LLAMA_LAYER(3200, 8640, 32, 32, 100) },
    { "falcon3-1b-instruct-1.58bit", "tiiuae/Falcon3-1B-Instruct-1.58bit", 2048, 8192, 18, 8,
      4, 256, 131072, LLAMA_LAYER(2048, 8192, 8, 4, 256) },
    { "falcon3-3b-base-1.58bit", "tiiuae/Falcon3-3B-Base-1.58bit", 3072, 9216, 22, 12, 4, 256,
      131072, LLAMA_LAYER(3072, 9216, 12, 4, 256) },
    /* The stored copy of this config ends before vocab_size: no LM head. */
    { "falcon3-7b-base-1.58bit", "tiiuae/Falcon3-7B-Base-1.58bit", 3072, 23040, 28, 12, 4, 256,
      0, LLAMA_LAYER(3072, 23040, 12, 4, 256) },
    { "falcon3-10b-base-1.58bit", "tiiuae/Falcon3-10B-Base-1.58bit", 3072, 23040, 40, 12, 4,
      256, 131072, LLAMA_LAYER(3072, 23040, 12, 4, 256) },
    /* Its own config.json is not stored: the shapes are those of the
     * model it was fine-tuned from, Meta-Llama-3-8B-Instruct (docs/models.md). */
    { "llama3-8b-1.58", "HF1BitLLM/Llama3-8B-1.58-100B-tokens", 4096, 14336, 32, 32, 8, 128,
      128256, LLAMA_LAYER(4096, 14336, 32, 8, 128) },
    { NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, { { NULL, 0, 0 } } },
};

/* a and b equal but for the case of ASCII letters */
static int same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = *a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a;
        int cb = *b >= 'A' && *b <= 'Z' ? *b - 'A' + 'a' : *b;
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}

const struct model_desc *model_find(const char *name)
{
    for (const struct model_desc *m = model_table; m->name; m++)
        if (same_name(m->name, name) || same_name(m->hf, name))
            return m;
    return NULL;
}

const char *model_names(void)
{
    static char buf[512];
    if (!buf[0])
        for (const struct model_desc *m = model_table; m->name; m++) {
            if (m != model_table)
                strcat(buf, " ");
            strcat(buf, m->name);
        }
    return buf;
}

double model_ternary_weights(const struct model_desc *m)
{
    double w = 0;
    for (int i = 0; i < m->nmat; i++)
        w += (double)m->mat[i].M * m->mat[i].N;
    return w * m->layers;
}

long model_max_rows(const struct model_desc *m)
{
    long v = 0;
    for (int i = 0; i < m->nmat; i++)
        v = m->mat[i].M > v ? m->mat[i].M : v;
    return v;
}

long model_max_cols(const struct model_desc *m)
{
    long v = 0;
    for (int i = 0; i < m->nmat; i++)
        v = m->mat[i].N > v ? m->mat[i].N : v;
    return v;
}

void model_other(const struct model_desc *m, struct model_other *o)
{
    /* 16-bit (bf16/f16) weights and KV cache; a MAC is 2 FLOPs: QK^T and
     * AV are nh d MACs each per position and layer. */
    o->ternary_macs = model_ternary_weights(m);
    o->lm_head_macs = (double)m->vocab * m->hidden;
    o->lm_head_bytes = 2 * o->lm_head_macs;
    o->embed_bytes = 2.0 * m->hidden;
    o->attn_flops_per_pos = 4.0 * m->heads * m->head_dim * m->layers;
    o->kv_bytes_per_pos = 2.0 * 2 * m->kv_heads * m->head_dim * m->layers;
}
