/* vectors.h - test problems for co-simulation: corner cases first, then
 * seeded random ones, all within the design point's limits. */
#ifndef TF_VECTORS_H
#define TF_VECTORS_H

#include "cosim.h"

/* Make the corner cases plus `nrandom` random problems. Each problem gets
 * a short name for messages (names[i], allocated). */
void make_vectors(const struct design_point *dp, int nrandom, uint64_t seed,
                  struct job_set *js, char ***names);
void free_vectors(struct job_set *js, char **names);

#endif
