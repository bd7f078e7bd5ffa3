/* mempresets.c - the built-in memory energy presets (mempresets.h). The
 * DDR4 and LPDDR4 figures are derived with the IDD method of Micron's
 * power notes (as DRAMsim3's configuration.cc applies it) from a vendor
 * datasheet's currents as DRAMPower's memspec transcribes them, for a
 * sequential read stream at the device's peak rate; the HBM2 figure is
 * the per-bit read energy of O'Connor et al. (MICRO-50 2017, Table 3) as
 * two independent repositories transcribe it, term for term. No stored
 * material gives a per-bit figure for LPDDR5, DDR5 or HBM3 with a source
 * (docs/cost-model.md, "Memory energy presets", lists what was found).
 * tests/unit/test_mempresets.c recomputes every figure from the cited
 * inputs. */
#include "mempresets.h"

#include <string.h>

const struct mem_preset mem_preset_table[] = {
    /* DRAMPower memspecs/MICRON_8Gb_DDR4-3200_16bit_G.xml (c59b57bc):
     * 0.146 activate + 5.648 read bursts + 1.576 background + 0.016
     * refresh, VDD and VPP */
    { "ddr4-3200-x16-core", 7.39,
      "Micron 8Gb DDR4-3200 x16 device core (VDD, VPP) streaming reads at 6.4 GB/s: "
      "no I/O, termination, PHY or controller" },
    /* DRAMPower memspecs/MICRON_6Gb_LPDDR4-3200_32bit_A.json (67e08c70):
     * 0.074 activate + 5.264 read bursts + 0.724 background + 0.112
     * refresh, VDD1 and VDD2 */
    { "lpddr4-3200-x16-core", 6.17,
      "Micron 6Gb LPDDR4-3200 one x16 channel, device core (VDD1, VDD2) streaming reads "
      "at 6.4 GB/s: no VDDQ (I/O), PHY or controller" },
    /* O'Connor et al., "Fine-Grained DRAM", MICRO-50 2017, Table 3, HBM2,
     * as scale-snu/attacc_simulator src/config.py (c1540dec) and
     * CMU-SAFARI/HBM-Power docs/explanation/idd-derivation.md (318d3d1f)
     * transcribe it: 909 pJ an activate over a 1 KB row (0.111) + cell
     * read 0.44 + on-die movement 1.01 + 1.23 + TSV 0.5 + interposer I/O
     * 0.3, at 50 % toggling */
    { "hbm2-read-io", 3.59,
      "HBM2 read (O'Connor et al., MICRO-50 2017, Table 3): one activate per 1 KB row, cell, "
      "on-die movement, TSV and interposer I/O at 50 % toggling: no background, refresh, "
      "host PHY or controller" },
    /* osu018.tech's `sram read` lines for one 1024 x 128 macro, per bit */
    { "sram-osu018-1024x128", 0.388,
      "on-chip SRAM read, one 1024 x 128 macro as osu018.tech prices it (OpenRAM "
      "FreePDK45 fit scaled to 180 nm): no wires to the core" },
    /* OpenRAM lib/freepdk45/lib (bf7d846e) 1024 x 128 macro: 4.4869 pJ a read */
    { "sram-freepdk45-1024x128", 0.0351,
      "on-chip SRAM read, OpenRAM's characterized 1024 x 128 FreePDK45 macro (45 nm, "
      "1.0 V): no wires to the core" },
    { NULL, 0, NULL },
};

const struct mem_preset *mem_preset_find(const char *name)
{
    for (const struct mem_preset *p = mem_preset_table; name && p->name; p++)
        if (!strcmp(p->name, name))
            return p;
    return NULL;
}

const char *mem_preset_names(void)
{
    static char buf[256];
    if (!buf[0])
        for (const struct mem_preset *p = mem_preset_table; p->name; p++) {
            if (p != mem_preset_table)
                strcat(buf, " ");
            strcat(buf, p->name);
        }
    return buf;
}
