/* models.h - the workload library: the ternary (BitLinear) layers of
 * published 1.58-bit language models, each shape taken from the model's
 * public configuration (docs/models.md cites every number), and the parts
 * of a token that do not run on a ternary core (LM head, embedding,
 * attention products), counted so reports can list them apart. */
#ifndef TF_MODELS_H
#define TF_MODELS_H

/* One ternary matrix of a transformer layer: W is M x N (out x in). */
struct model_layer {
    const char *name;   /* q, k, v, o, gate, up, down */
    long M, N;
};

enum { MODEL_LAYERS_MAX = 7 };

struct model_desc {
    const char *name;      /* as `cost --model` and <workload model=...> take it */
    const char *hf;        /* the Hugging Face repository */
    long hidden, ffn, layers, heads, kv_heads, head_dim;
    long vocab;            /* 0: not verified (the LM head is then not counted) */
    int nmat;
    struct model_layer mat[MODEL_LAYERS_MAX]; /* the ternary matrices of one layer */
};

/* The built-in models, NULL-name terminated. */
extern const struct model_desc model_table[];
/* A model by name or by its Hugging Face repository, either in any case
 * of letters (Llama3-8B-1.58, HF1BitLLM/Llama3-8B-1.58-100B-tokens), or NULL. */
const struct model_desc *model_find(const char *name);
/* The names, space separated (for messages). */
const char *model_names(void);

/* Per token (decode, one column): the ternary weights (= MACs) of every
 * layer, and the largest M and N of its matrices (the core's size). */
double model_ternary_weights(const struct model_desc *m);
long model_max_rows(const struct model_desc *m);
long model_max_cols(const struct model_desc *m);

/* What one token needs that is not on a ternary core (docs/models.md):
 * the 16-bit LM head (vocab x hidden; 0 when the vocabulary is not
 * verified), the embedding row, and per cached position the attention
 * score and value products (FLOPs) and the 16-bit KV cache read. */
struct model_other {
    double ternary_macs;       /* = model_ternary_weights() */
    double lm_head_macs, lm_head_bytes;
    double embed_bytes;
    double attn_flops_per_pos, kv_bytes_per_pos;
};
void model_other(const struct model_desc *m, struct model_other *o);

#endif
