/* mempresets.h - built-in memory energy per bit (`cost --memory`,
 * <memory preset=...>): figures derived by a stated method from cited
 * device data or taken term by term from a cited paper, each labelled
 * with what it leaves out (docs/cost-model.md, "Memory energy presets",
 * writes out the inputs and the arithmetic). */
#ifndef TF_MEMPRESETS_H
#define TF_MEMPRESETS_H

struct mem_preset {
    const char *name;   /* as `cost --memory` and <memory preset=...> take it */
    double pj_per_bit;  /* energy per bit read, 3 significant digits */
    const char *what;   /* what the figure covers and leaves out */
};

/* The presets, NULL-name terminated. */
extern const struct mem_preset mem_preset_table[];
/* A preset by name, or NULL. */
const struct mem_preset *mem_preset_find(const char *name);
/* The names, space separated (for messages). */
const char *mem_preset_names(void);

#endif
