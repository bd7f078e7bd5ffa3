/* integ.h - the integration files `gen` writes beside the Verilog
 * (docs/integration.md): manifest.json, <prefix>.sdc, <prefix>.core,
 * <prefix>_params.h, <prefix>_inst.vh, synth.ys, params.xml and
 * files_env.f. Everything they say about ports and widths comes from the
 * emitter's own tables (shell_ports, the derived widths), the synthesis
 * script and the SDC from the code `synth` runs. */
#ifndef TF_INTEG_H
#define TF_INTEG_H

#include "../gen/vw.h"
#include "../model/cost.h"
#include "dp.h"

/* Add the integration files of dp to gf, which holds what generate()
 * made (the Verilog and files.f). `t` is the default technology: its
 * synthesis flow becomes synth.ys, and its clock the SDC's when the point
 * has no clock_ns. */
void integ_files(const struct design_point *dp, const struct tech *t, struct gen_files *gf);

/* The clock period the integration files use: the point's clock_ns, or
 * the technology's clock. */
double integ_clock_ns(const struct design_point *dp, const struct tech *t);

/* The resolved parameter file of dp: every parameter of its kind
 * explicit (acc_width resolved), plus clock_ns when set, so that reading
 * it gives the same design point and `gen` the same bytes. `comment` (may
 * be NULL; no "--") goes into an XML comment after the declaration. */
char *integ_params_xml(const struct design_point *dp, const char *comment);

#endif
