/* driver.c - a driver's view of tf_params.h: it must compile warning-free
 * (-std=c11 -Wall -Wextra -Werror -pedantic) and its values are printed
 * for tests/integfiles/check.py to compare with manifest.json. */
#include <stdio.h>

#include "tf_params.h"

/* A driver sizes its beat buffers from the header. */
static unsigned char act_beat[TF_ACT_BYTES], wgt_beat[TF_WGT_BYTES], res_beat[TF_RES_BYTES];

int main(void)
{
#ifndef TF_BATCH
#define TF_BATCH 1
#endif
#ifdef TF_ACT_SCALE_LSB
    /* block-scaled: the lanes, then one scale per column of the job */
    _Static_assert(TF_ACT_SCALE_LSB == TF_ACT_LANES * TF_ACT_LANE_BITS, "act scales");
    _Static_assert(TF_ACT_SCALE_LSB + TF_BATCH * TF_ACT_SCALE_BITS == TF_ACT_BITS, "act bits");
    printf("ACT_SCALE_LSB=%d ACT_SCALE_BITS=%d BLOCK=%d\n", TF_ACT_SCALE_LSB, TF_ACT_SCALE_BITS,
           TF_BLOCK);
#else
    _Static_assert(TF_ACT_LANES * TF_ACT_LANE_BITS == TF_ACT_BITS, "act lanes");
#endif
    if (TF_BATCH > 1)
        printf("BATCH=%d\n", TF_BATCH);
    _Static_assert(TF_WGT_LANES * TF_WGT_LANE_BITS == TF_WGT_BITS, "wgt lanes");
    _Static_assert(TF_RES_LANES * TF_RES_LANE_BITS == TF_RES_BITS, "res lanes");
    printf("FINGERPRINT=%llu KIND=%s\n", (unsigned long long)TF_FINGERPRINT, TF_KIND);
    printf("MAX_ROWS=%ld MAX_COLS=%ld ROW_BITS=%d COL_BITS=%d\n", TF_MAX_ROWS, TF_MAX_COLS,
           TF_ROW_BITS, TF_COL_BITS);
    printf("ACT_BITS=%d ACT_BYTES=%zu ACT_LANES=%d ACT_LANE_BITS=%d\n", TF_ACT_BITS,
           sizeof act_beat, TF_ACT_LANES, TF_ACT_LANE_BITS);
    printf("WGT_BITS=%d WGT_BYTES=%zu WGT_LANES=%d WGT_LANE_BITS=%d WGT_GROUPS=%d\n",
           TF_WGT_BITS, sizeof wgt_beat, TF_WGT_LANES, TF_WGT_LANE_BITS, TF_WGT_GROUPS);
    printf("RES_BITS=%d RES_BYTES=%zu RES_LANES=%d RES_LANE_BITS=%d RES_LANE_SIGNED=%d\n",
           TF_RES_BITS, sizeof res_beat, TF_RES_LANES, TF_RES_LANE_BITS, TF_RES_LANE_SIGNED);
    printf("LATENCY=%d\n", TF_LATENCY);
#ifdef TF_MU
    /* tlut: a key covers MU weights and fits KEY_BITS. */
    _Static_assert(TF_WGT_LANE_BITS == TF_KEY_BITS, "a weight lane is one key");
#endif
    return 0;
}
