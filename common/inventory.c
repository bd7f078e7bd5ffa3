/* inventory.c - component inventories (see inventory.h). */
#include "inventory.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *const comp_names[] = {
    "act_buffer", "lut_build", "lut_store", "key_select", "sign",
    "adder_tree", "pipeline", "accumulator", "out_fifo", "controller", "multiplier",
    "convert", "decode",
};
const char *const prim_names[] = { "add",   "neg",   "mux",   "reg",   "ram",  "cmp",
                                   "mul",   "shift", "fpadd", "fpmul", "fpcvt", "sram",
                                   "sel",   "mxconv", "mxdec" };

unsigned short fpadd_sig_ops[FPADD_SIG_OPS_N];

__attribute__((constructor)) static void init_fpadd_sig_ops(void)
{
    for (int man = 0; man < FPADD_SIG_OPS_N; man++)
        fpadd_sig_ops[man] = (unsigned short)fpadd_sig_ops_calc(man);
}

void inv_free(struct inventory *inv)
{
    free(inv->items);
    inv_init(inv);
}

void inv_add_item(struct inventory *inv, enum comp c, enum prim p, int width, int inputs,
                  long count)
{
    if (count <= 0)
        return;
    if (inv->sink) {
        inv->sink(inv->sink_ctx, c, p, width, inputs, count);
        return;
    }
    if (inv->tally)
        BUG("inventory tally: %s item without a sink", prim_names[p]);
    for (int i = 0; i < inv->n; i++) {
        struct inv_item *it = &inv->items[i];
        if (it->comp == c && it->prim == p && it->width == width && it->inputs == inputs) {
            it->count += count;
            return;
        }
    }
    if (inv->n == inv->alloc) {
        inv->alloc = inv->alloc ? inv->alloc * 2 : 16;
        inv->items = xrealloc(inv->items, (size_t)inv->alloc * sizeof *inv->items);
    }
    inv->items[inv->n++] = (struct inv_item){ c, p, width, inputs, count };
}

static int cmp_item(const void *pa, const void *pb)
{
    const struct inv_item *a = pa, *b = pb;
    if (a->comp != b->comp)
        return a->comp < b->comp ? -1 : 1;
    if (a->prim != b->prim)
        return a->prim < b->prim ? -1 : 1;
    if (a->width != b->width)
        return a->width < b->width ? -1 : 1;
    if (a->inputs != b->inputs)
        return a->inputs < b->inputs ? -1 : 1;
    return 0;
}

void inv_sort(struct inventory *inv)
{
    if (inv->n)
        qsort(inv->items, (size_t)inv->n, sizeof *inv->items, cmp_item);
}

static void print_item(const struct inv_item *it, FILE *out)
{
    if (it->prim == PRIM_FPADD && FP_ACT_MAN(it->inputs) == FP_FLAT_DEAD)
        fprintf(out, "%-12s %-4s width %3d man %2d lat %d adds +0 count %ld\n",
                comp_names[it->comp], prim_names[it->prim], it->width, FP_MAN(it->inputs),
                FP_LAT(it->inputs), it->count);
    else if ((it->prim == PRIM_FPADD || it->prim == PRIM_FPMUL) && FP_ACT_MAN(it->inputs) >= 0)
        fprintf(out, "%-12s %-4s width %3d man %2d lat %d acts man %d count %ld\n",
                comp_names[it->comp], prim_names[it->prim], it->width, FP_MAN(it->inputs),
                FP_LAT(it->inputs), FP_ACT_MAN(it->inputs), it->count);
    else if (it->prim == PRIM_FPADD || it->prim == PRIM_FPMUL)
        fprintf(out, "%-12s %-4s width %3d man %2d lat %d count %ld\n", comp_names[it->comp],
                prim_names[it->prim], it->width, FP_MAN(it->inputs), FP_LAT(it->inputs),
                it->count);
    else if (it->prim == PRIM_MXCONV)
        fprintf(out, "%-12s %-4s width %3d sum %2d man %2d ue4m3 %d count %ld\n",
                comp_names[it->comp], prim_names[it->prim], it->width, it->inputs % 256,
                it->inputs / 256 % 64, it->inputs / (256 * 64), it->count);
    else if (it->prim == PRIM_MXDEC)
        fprintf(out, "%-12s %-4s width %3d exp %d man %d count %ld\n", comp_names[it->comp],
                prim_names[it->prim], it->width, it->inputs / 256, it->inputs % 256, it->count);
    else
        fprintf(out, "%-12s %-4s width %3d inputs %5d count %ld\n", comp_names[it->comp],
                prim_names[it->prim], it->width, it->inputs, it->count);
}

int inv_compare(struct inventory *a, struct inventory *b, FILE *out)
{
    inv_sort(a);
    inv_sort(b);
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        if (i < a->n && i < b->n && !cmp_item(&a->items[i], &b->items[i]) &&
            a->items[i].count == b->items[i].count)
            continue;
        fprintf(out, "inventories differ at item %d:\n  first:  ", i);
        if (i < a->n)
            print_item(&a->items[i], out);
        else
            fprintf(out, "(none)\n");
        fprintf(out, "  second: ");
        if (i < b->n)
            print_item(&b->items[i], out);
        else
            fprintf(out, "(none)\n");
        return 1;
    }
    return 0;
}

void inv_print(const struct inventory *inv, FILE *out)
{
    for (int i = 0; i < inv->n; i++)
        print_item(&inv->items[i], out);
}
