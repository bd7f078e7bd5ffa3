/* actfmt.c - the activation and sum formats (see actfmt.h, formats.def). */
#include "actfmt.h"

#include "util.h"

#define ACCS(e) (1u << ACC_##e)

const struct act_format act_formats[ACT__COUNT] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact) \
    [ACT_##E] = { #name, width, sf, acc_auto, acc_exact },
#define ACC_FORMAT(E, name, sf)
#include "formats.def"
#undef ACT_FORMAT
#undef ACC_FORMAT
};

const struct acc_format acc_formats[ACC__COUNT] = {
#define ACT_FORMAT(E, name, width, sf, acc_auto, acc_exact)
#define ACC_FORMAT(E, name, sf) [ACC_##E] = { #name, sf },
#include "formats.def"
#undef ACT_FORMAT
#undef ACC_FORMAT
};
