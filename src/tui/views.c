/* The seven views, drawn from the view model into the main area. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/app.h"
#include "tui/widgets.h"

static const llmem_glyphs *glyphs(const llmem_app *a)
{
    return llmem_glyphs_get(a->canvas.ascii);
}

/* Bar glyph of memory category i: full blocks in colour, distinct glyphs in
 * monochrome (and always in ASCII). */
static uint32_t seg_glyph(const llmem_app *a, int i)
{
    const llmem_glyphs *g = glyphs(a);
    return a->theme->colour ? g->seg[i] : g->seg_mono[i];
}

/* A byte figure in the view's unit (GiB/GB, no unit shown) for the 9-column
 * value fields; a huge one that would run into the bar switches to a
 * scaled form with its unit ("1.2 PiB", "3.4e+06 TiB" never: at most 8). */
static void bytes_at(const llmem_app *a, char *buf, size_t cap, double v)
{
    llm_fmt_bytes_at(buf, cap, v, a->units, LLM_SCALE_G, 2, false);
    if (strlen(buf) <= 8) return;
    int sc = llm_bytes_scale(v < 0 ? -v : v, a->units);
    for (int dec = 1; dec >= 0; dec--) {
        llm_fmt_bytes_at(buf, cap, v, a->units, sc, dec, true);
        if (strlen(buf) <= 8) return;
    }
    /* beyond EiB: the exponent of the view's unit */
    double g = v / (a->units == LLM_UNITS_GIB ? 1073741824.0 : 1e9);
    snprintf(buf, cap, "%.0e", g);
}

/* Memory use as a percentage for narrow columns: ">999%" beyond. */
static void pct_short(char *buf, size_t cap, double frac)
{
    if (frac >= 9.995) snprintf(buf, cap, ">999%%");
    else llm_fmt_percent(buf, cap, frac, 0);
}

static void yfmt_bytes(double v, char *buf, size_t cap, void *ctx)
{
    const llmem_app *a = ctx;
    llm_fmt_bytes(buf, cap, v, a->units);
}

/* Word-wraps text into rows of width w from (x, y); returns rows used. */
static int wrap(llmem_canvas *c, int x, int y, int w, int maxrows, const char *text, int role, bool bold)
{
    int rows = 0;
    const char *p = text;
    while (*p && rows < maxrows && w > 0) {
        int n = 0, cut = -1, bytes = 0, cut_bytes = 0;
        const char *q = p;
        while (*q && n < w) {
            uint32_t cp;
            int k = llmem_utf8_decode(q, &cp);
            if (cp == ' ') {
                cut = n;
                cut_bytes = bytes;
            }
            q += k;
            bytes += k;
            n++;
        }
        if (*q && cut > 0) bytes = cut_bytes; /* break at the last space */
        char line[512];
        int len = bytes < (int)sizeof line - 1 ? bytes : (int)sizeof line - 1;
        memcpy(line, p, (size_t)len);
        line[len] = '\0';
        if (c) llmem_canvas_text(c, x, y + rows, w, line, role, bold); /* NULL: count only */
        rows++;
        p += bytes;
        while (*p == ' ') p++;
    }
    return rows;
}

static void not_valid(llmem_app *a, llmem_rect in)
{
    char buf[LLM_ERROR_MSG_MAX + 32];
    snprintf(buf, sizeof buf, "impossible combination: %s", a->vm.err.message);
    int n = wrap(&a->canvas, in.x + 1, in.y + 1, in.w - 2, 4, buf, LLMEM_ROLE_WARN, true);
    llmem_canvas_text(&a->canvas, in.x + 1, in.y + 2 + n, in.w - 2,
                      "change the marked setting, or u to undo", LLMEM_ROLE_DIM, false);
}

/* ---- 1 Memory ----------------------------------------------------------- */

static void fits_line(llmem_app *a, int x, int y, int w)
{
    llmem_canvas *c = &a->canvas;
    const llmem_glyphs *g = glyphs(a);
    int px = x;
    for (size_t i = 0; i < a->vm.nfits && px < x + w; i++) {
        const llmem_fit_row *f = &a->vm.fits[i];
        if (!f->ok) continue;
        char item[96], pct[16];
        pct_short(pct, sizeof pct, f->fit.utilisation);
        char mark[8];
        llmem_utf8_encode(f->fit.fits ? g->check : g->cross, mark);
        if (f->fit.fits) snprintf(item, sizeof item, "%s %s %s", f->gpu->id, mark, pct);
        else if (f->fit.gpus_needed) snprintf(item, sizeof item, "%s %s needs %llu", f->gpu->id, mark,
                                              (unsigned long long)f->fit.gpus_needed);
        else snprintf(item, sizeof item, "%s %s %s", f->gpu->id, mark, pct);
        int iw = llmem_utf8_width(item);
        if (px + iw > x + w) break;
        llmem_canvas_text(c, px, y, iw, item, f->fit.fits ? LLMEM_ROLE_OK : LLMEM_ROLE_OVER, false);
        px += iw + 2;
    }
}

static void view_memory(llmem_app *a, llmem_rect in)
{
    llmem_canvas *c = &a->canvas;
    const llmem_glyphs *g = glyphs(a);
    if (!a->vm.valid) {
        not_valid(a, in);
        return;
    }
    const llm_memory *m = &a->vm.est.per_gpu;
    double cap = a->vm.gpu ? a->vm.gpu->memory_bytes : 0;
    double scale = m->total > cap ? m->total : cap;
    int lw = 14, vw = 9, bx = in.x + 1 + lw + vw + 1, bw = in.w - (bx - in.x) - 1;
    char buf[256], v[32];
    snprintf(buf, sizeof buf, "per GPU, %s", llm_units_name(a->units));
    llmem_canvas_text(c, in.x + 1, in.y, in.w - 2, buf, LLMEM_ROLE_DIM, false);
    int y = in.y + 1;
    for (int i = 0; i < LLMEM_MEM_CATS; i++, y++) {
        double val = llmem_mem_value(m, i);
        bool zero = !(val > 0);
        /* the category's glyph names it in the stacked total, with or without colour */
        llmem_canvas_put(c, in.x + 1, y, seg_glyph(a, i), llmem_mem_role(i), false);
        llmem_canvas_text(c, in.x + 3, y, lw - 2, llmem_mem_name(i), zero ? LLMEM_ROLE_DIM : LLMEM_ROLE_LABEL, false);
        bytes_at(a, v, sizeof v, val);
        llmem_canvas_text_right(c, in.x + 1 + lw, y, vw, v, zero ? LLMEM_ROLE_DIM : LLMEM_ROLE_VALUE, !zero);
        llmem_w_bar(c, bx, y, bw, scale > 0 ? val / scale : 0, llmem_mem_role(i), seg_glyph(a, i), g);
    }
    /* total: stacked segments with the GPU's capacity marked */
    llmem_canvas_text_fit(c, in.x + 1, y, lw, "Total", LLMEM_ROLE_HEADING, true);
    bytes_at(a, v, sizeof v, m->total);
    llmem_canvas_text_right(c, in.x + 1 + lw, y, vw, v, LLMEM_ROLE_VALUE, true);
    double vals[LLMEM_MEM_CATS];
    int roles[LLMEM_MEM_CATS];
    uint32_t gl[LLMEM_MEM_CATS];
    for (int i = 0; i < LLMEM_MEM_CATS; i++) {
        vals[i] = llmem_mem_value(m, i);
        roles[i] = llmem_mem_role(i);
        gl[i] = seg_glyph(a, i);
    }
    llmem_w_stacked(c, bx, y, bw, vals, roles, gl, LLMEM_MEM_CATS, scale);
    if (cap > 0 && bw > 2) {
        int cx = bx + (int)lround(cap / scale * bw) - 1;
        if (cx >= bx + bw) cx = bx + bw - 1;
        bool over = m->total > cap;
        llmem_canvas_put(c, cx, y, g->vline, over ? LLMEM_ROLE_OVER : LLMEM_ROLE_OK, true);
        llm_fmt_bytes(v, sizeof v, cap, a->units);
        snprintf(buf, sizeof buf, "%s%s capacity %s", cx > bx + bw / 2 ? "" : "", a->vm.gpu->id, v);
        int tw = llmem_utf8_width(buf);
        int tx = cx - tw + 1; /* ends at the marker, or starts there, inside the frame */
        if (tx < in.x + 1) tx = cx;
        if (tx + tw > in.x + in.w - 1) tx = in.x + in.w - 1 - tw;
        if (tx < in.x + 1) tx = in.x + 1;
        llmem_canvas_text(c, tx, y + 1, tw, buf, over ? LLMEM_ROLE_OVER : LLMEM_ROLE_OK, false);
    }
    y += 2;
    y++;
    /* the chosen GPU */
    if (y < in.y + in.h) {
        if (a->vm.gpu && a->vm.gpu_fit_ok) {
            const llm_fit *f = &a->vm.gpu_fit;
            char pct[16], mark[8];
            char gname[96];
            if (in.w >= 64) snprintf(gname, sizeof gname, "%s", a->vm.gpu->name);
            else llmem_gpu_short_name(a->vm.gpu->name, gname, 24);
            pct_short(pct, sizeof pct, f->utilisation);
            llmem_utf8_encode(f->fits ? g->check : g->cross, mark);
            if (f->fits)
                snprintf(buf, sizeof buf, "%s %s fits, %s of memory used", mark, gname, pct);
            else if (f->gpus_needed)
                snprintf(buf, sizeof buf, "%s %s: %s, needs %llu GPUs", mark, gname, pct,
                         (unsigned long long)f->gpus_needed);
            else
                snprintf(buf, sizeof buf, "%s %s: %s, no GPU count fits", mark, gname, pct);
            llmem_canvas_text_fit(c, in.x + 1, y, in.w - 2, buf, f->fits ? LLMEM_ROLE_OK : LLMEM_ROLE_OVER, true);
        } else {
            llmem_canvas_text_fit(c, in.x + 1, y, in.w - 2, "no GPU chosen (GPU slider)", LLMEM_ROLE_DIM, false);
        }
        y++;
    }
    if (m->host > 0 && y < in.y + in.h) {
        char hb[32];
        llm_fmt_bytes(hb, sizeof hb, m->host, a->units);
        snprintf(buf, sizeof buf, "offloaded to CPU memory: %s per GPU (not in the total)", hb);
        llmem_canvas_text_fit(c, in.x + 1, y++, in.w - 2, buf, LLMEM_ROLE_DIM, false);
    }
    if (a->machine[0] && y < in.y + in.h) {
        llmem_canvas_text_fit(c, in.x + 1, y, in.w - 2, a->machine, LLMEM_ROLE_ACCENT, false);
        y++;
    }
    /* every catalogue GPU, as many as there is room for */
    int avail = in.y + in.h - y - 3; /* keep the parameters and compute lines */
    int colw = 35, ncol = (in.w - 2) / colw;
    if (ncol < 1) ncol = 1;
    if (ncol == 1) colw = in.w - 2;
    if (avail >= 2) {
        llmem_canvas_text_fit(c, in.x + 1, y++, in.w - 2,
                          ncol > 1 ? "Fits (per GPU, this parallel layout)" : "Fits on other GPUs",
                          LLMEM_ROLE_HEADING, true);
        int shown = 0, maxn = (avail - 1) * ncol;
        for (size_t i = 0; i < a->vm.nfits && shown < maxn; i++) {
            const llmem_fit_row *f = &a->vm.fits[i];
            if (!f->ok || (ncol == 1 && f->gpu == a->vm.gpu)) continue;
            int cx = in.x + 1 + (shown % ncol) * colw, cy = y + shown / ncol;
            char pct[16], mark[8], item[128];
            /* a 35-column cell: mark, 16-column name, 5-column percentage and
             * "need N" with up to 4 digits (34 columns) */
            char name[17];
            llmem_gpu_short_name(f->gpu->name, name, sizeof name);
            pct_short(pct, sizeof pct, f->fit.utilisation); /* 5 columns */
            llmem_utf8_encode(f->fit.fits ? g->check : g->cross, mark);
            if (f->fit.fits)
                snprintf(item, sizeof item, "%s %-16.16s %5s", mark, name, pct);
            else if (!f->fit.gpus_needed)
                snprintf(item, sizeof item, "%s %-16.16s %5s no fit", mark, name, pct);
            else if (f->fit.gpus_needed < 10000)
                snprintf(item, sizeof item, "%s %-16.16s %5s need %llu", mark, name, pct,
                         (unsigned long long)f->fit.gpus_needed);
            else
                snprintf(item, sizeof item, "%s %-16.16s %5s need many", mark, name, pct);
            llmem_canvas_text(c, cx, cy, colw - 1, item, f->fit.fits ? LLMEM_ROLE_OK : LLMEM_ROLE_OVER, false);
            shown++;
        }
        y += (shown + ncol - 1) / ncol + 1;
    } else if (y < in.y + in.h) {
        llmem_canvas_text_fit(c, in.x + 1, y, 6, "Fits:", LLMEM_ROLE_HEADING, true);
        fits_line(a, in.x + 7, y, in.w - 8);
        y += 2;
    }
    const llm_estimate *e = &a->vm.est;
    if (y < in.y + in.h) {
        char t[32], ac[32];
        llm_fmt_count(t, sizeof t, (double)e->params.total);
        llm_fmt_count(ac, sizeof ac, (double)e->params.active);
        if (e->params.active != e->params.total)
            snprintf(buf, sizeof buf, in.w >= 60 ? "Parameters %s (%s active per token)" : "Params %s (%s active)",
                     t, ac);
        else
            snprintf(buf, sizeof buf, "Parameters %s", t);
        llmem_canvas_text_fit(c, in.x + 1, y++, in.w - 2, buf, LLMEM_ROLE_LABEL, false);
    }
    if (y < in.y + in.h) {
        char fl[32], tt[32], tok[32];
        llm_fmt_flops(fl, sizeof fl, e->flops_per_token);
        llm_fmt_count(tok, sizeof tok, e->train_tokens);
        if (e->train_seconds > 0) {
            llm_fmt_duration(tt, sizeof tt, e->train_seconds);
            snprintf(buf, sizeof buf, in.w >= 60 ? "Compute %s/token · %s tokens ≈ %s" : "%s/tok · %s tok ≈ %s",
                     fl, tok, tt);
        } else {
            snprintf(buf, sizeof buf, "Compute %s/token", fl);
        }
        llmem_canvas_text_fit(c, in.x + 1, y++, in.w - 2, buf, LLMEM_ROLE_LABEL, false);
    }
}

/* ---- 2 Parameters ------------------------------------------------------- */

static void view_params(llmem_app *a, llmem_rect in)
{
    llmem_canvas *c = &a->canvas;
    const llmem_glyphs *g = glyphs(a);
    if (!a->vm.valid) {
        not_valid(a, in);
        return;
    }
    const llm_params *p = &a->vm.est.params;
    struct {
        const char *name;
        uint64_t v;
        bool part;
    } rows[] = {
        {"Embedding", p->embedding, true}, {"Positions", p->positions, true},
        {"Attention", p->attention, true}, {"MLP", p->mlp, true},
        {"Experts", p->experts, true},     {"Router", p->router, true},
        {"Norms", p->norms, true},         {"LM head", p->lm_head, true},
        {"Total", p->total, false},        {"Active/token", p->active, false},
        {"Non-embedding", p->non_embedding, false}, {"Per layer", p->per_layer, false},
    };
    int y = in.y;
    char buf[64], ex[40], pct[16];
    int nw = 14, cw = 10, ew = in.w >= 64 ? 16 : 0, qw = 7, bx = in.x + 1 + nw + cw + ew + qw + 2;
    int bw = in.x + in.w - bx - 1;
    llmem_canvas_printf(c, in.x + 1, y++, in.w - 2, LLMEM_ROLE_DIM, false, "%-*s%*s%*s%*s", nw,
                        "component", cw, "count", ew, ew ? "exact" : "", qw, "share");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0] && y < in.y + in.h; i++) {
        if (rows[i].part && rows[i].v == 0) continue;
        if (!rows[i].part && i == 8) llmem_canvas_hline(c, in.x + 1, y++, in.w - 2, LLMEM_ROLE_FRAME);
        if (y >= in.y + in.h) break;
        int role = rows[i].part ? LLMEM_ROLE_LABEL : LLMEM_ROLE_HEADING;
        llmem_canvas_text_fit(c, in.x + 1, y, nw, rows[i].name, role, !rows[i].part);
        llm_fmt_count(buf, sizeof buf, (double)rows[i].v);
        llmem_canvas_text_right(c, in.x + 1 + nw, y, cw, buf, LLMEM_ROLE_VALUE, true);
        llm_fmt_int(ex, sizeof ex, rows[i].v);
        if (ew) llmem_canvas_text_right(c, in.x + 1 + nw + cw, y, ew, ex, LLMEM_ROLE_DIM, false);
        double f = p->total ? (double)rows[i].v / (double)p->total : 0;
        llm_fmt_percent(pct, sizeof pct, f, 1);
        llmem_canvas_text_right(c, in.x + 1 + nw + cw + ew, y, qw, pct, LLMEM_ROLE_DIM, false);
        if (rows[i].part && bw > 4) llmem_w_bar(c, bx, y, bw, f, LLMEM_ROLE_WEIGHTS, g->seg[0], g);
        y++;
    }
    y++;
    if (y < in.y + in.h) {
        const llm_model *m = &a->cfg.model;
        snprintf(buf, sizeof buf, "%llu layers · head dim %llu · %llu KV heads · %s FFN",
                 (unsigned long long)m->layers, (unsigned long long)llm_model_head_dim(m),
                 (unsigned long long)llm_model_kv_heads(m), llm_ffn_kind_name(m->ffn_kind));
        y += wrap(c, in.x + 1, y, in.w - 2, 2, buf, LLMEM_ROLE_DIM, false);
    }
    const llm_preset *pr = a->reg && *a->preset_id ? llm_registry_find(a->reg, a->preset_id) : NULL;
    if (pr && pr->params_published && y < in.y + in.h) {
        char pub[40];
        llm_fmt_int(pub, sizeof pub, pr->params_published);
        char line[320];
        if (llmem_shape_equal(&a->cfg.model, &pr->model))
            snprintf(line, sizeof line, "published: %s%s", pub, pr->params_exact ? " (exact)" : " (rounded)");
        else /* the count belongs to the preset's shape, not this one */
            snprintf(line, sizeof line, "published %s is for %s's shape; this shape differs", pub, pr->name);
        y += wrap(c, in.x + 1, y, in.w - 2, 2, line, LLMEM_ROLE_DIM, false);
    }
    if (pr && !pr->published && pr->analogue[0] && y < in.y + in.h) {
        char line[400];
        snprintf(line, sizeof line, "illustrative shape; numbers drawn from %s", pr->analogue);
        y += wrap(c, in.x + 1, y, in.w - 2, in.y + in.h - y, line, LLMEM_ROLE_WARN, false);
    }
}

/* ---- 3 Compute ---------------------------------------------------------- */

static const char *bound_name(llm_bound b)
{
    return b == LLM_BOUND_COMPUTE  ? "compute-bound"
           : b == LLM_BOUND_MEMORY ? "memory-bound"
           : b == LLM_BOUND_UNKNOWN ? "bound unknown"
                                    : "n/a";
}

static void view_compute(llmem_app *a, llmem_rect in)
{
    llmem_canvas *c = &a->canvas;
    if (!a->vm.valid) {
        not_valid(a, in);
        return;
    }
    const llm_estimate *e = &a->vm.est;
    const llm_workload *w = &a->cfg.workload;
    char b1[48], b2[48], b3[48], line[256];
    int y = in.y;
    bool wide = in.w >= 72;
    int lw = wide ? 22 : 13;
#define ROW(label, ...)                                                                              \
    do {                                                                                             \
        if (y < in.y + in.h) {                                                                       \
            llmem_canvas_text_fit(c, in.x + 1, y, lw, label, LLMEM_ROLE_LABEL, false);                   \
            snprintf(line, sizeof line, __VA_ARGS__);                                                \
            llmem_canvas_text_fit(c, in.x + 1 + lw, y, in.w - 2 - lw, line, LLMEM_ROLE_VALUE, true); \
            y++;                                                                                     \
        }                                                                                            \
    } while (0)
    llm_fmt_flops(b1, sizeof b1, e->flops_per_token);
    ROW(wide ? "Forward FLOPs/token" : "FLOPs/token", wide ? "%s (2N + 2·L·s·a·d_head)" : "%s", b1);
    bool train = w->mode != LLM_MODE_INFER; /* training rows only when training */
    llm_fmt_flops(b1, sizeof b1, e->train_flops);
    llm_fmt_count(b2, sizeof b2, e->train_tokens);
    const char *basis = e->train_tokens_basis == LLM_TOKENS_CHINCHILLA ? " (20/param)"
                        : e->train_tokens_basis == LLM_TOKENS_PER_BILLION ? " (per 1B)"
                                                                         : "";
    if (train && wide)
        ROW("Training FLOPs", "%s for %s tokens%s", b1, b2, basis);
    else if (train)
        ROW("Train FLOPs", "%s, %s tok", b1, b2);
    unsigned long long gpus = (unsigned long long)w->tp * w->pp * w->dp;
    if (a->vm.gpu) {
        llm_fmt_duration(b1, sizeof b1, e->train_seconds);
        llm_fmt_percent(b3, sizeof b3, w->mfu, 0);
        if (!train) {
            if (e->generate_seconds > 0) {
                llm_fmt_duration(b1, sizeof b1, e->generate_seconds);
                ROW(wide ? "Generate (one seq)" : "Generate", wide ? "%s: prefill + %llu tokens" : "%s, %llu tok", b1,
                    (unsigned long long)w->gen_tokens);
            } else {
                ROW("Generate", "%s", "unknown");
            }
        } else if (!(e->train_seconds > 0)) /* no published peak FLOP/s for this GPU */
            ROW(wide ? "Training time" : "Train time", "%s",
                wide ? "unknown: this GPU has no published peak FLOP/s" : "unknown (no peak)");
        else if (wide)
            ROW("Training time", "%s on %llu× %s at %s MFU", b1, gpus, a->vm.gpu->id, b3);
        else
            ROW("Train time", "%s, %llu× %s @%s", b1, gpus, a->vm.gpu->id, b3);
        y++;
        llm_fmt_duration(b1, sizeof b1, e->prefill_seconds);
        llm_fmt_tokens_per_s(b2, sizeof b2, e->prefill_tokens_per_s);
        if (e->prefill_bound == LLM_BOUND_UNKNOWN)
            ROW("Prefill", "%s", wide ? "unknown: no peak FLOP/s for this GPU" : "unknown");
        else if (wide)
            ROW("Prefill (one seq)", "%s · %s · %s", b1, b2, bound_name(e->prefill_bound));
        else
            ROW("Prefill", "%s · %s", b1, bound_name(e->prefill_bound));
        llm_fmt_tokens_per_s(b2, sizeof b2, e->decode_tokens_per_s);
        if (e->decode_bound == LLM_BOUND_UNKNOWN)
            ROW("Decode", "%s", "unknown");
        else
            ROW("Decode", wide ? "%s per sequence · %s" : "%s · %s", b2, bound_name(e->decode_bound));
        ROW(wide ? "Decode intensity" : "Intensity", "%.1f FLOP/byte", e->decode_intensity);
        y++;
        if (a->vm.gpu->flops_16 > 0) llm_fmt_flops_rate(b1, sizeof b1, a->vm.gpu->flops_16);
        else snprintf(b1, sizeof b1, "peak n/a");
        snprintf(b2, sizeof b2, "%.0f GB/s", a->vm.gpu->bandwidth / 1e9);
        double ridge = a->vm.gpu->bandwidth > 0 ? a->vm.gpu->flops_16 / a->vm.gpu->bandwidth : 0;
        if (ridge > 0)
            ROW(wide ? "GPU peak (16-bit)" : "GPU peak", wide ? "%s · %s · ridge %.0f FLOP/byte" : "%s · %s",
                b1, b2, ridge);
        else
            ROW(wide ? "GPU peak (16-bit)" : "GPU peak", "%s · %s", b1, b2);
    } else {
        y++;
        ROW("Times", "%s", "choose a GPU (GPU slider)");
    }
    y++;
    llm_fmt_bytes(b1, sizeof b1, e->kv_bytes_per_token, a->units);
    ROW(wide ? "KV cache per token" : "KV per token", wide ? "%s (whole model, one sequence)" : "%s", b1);
    llm_fmt_bytes(b1, sizeof b1, e->act_bytes_per_layer, a->units);
    ROW(wide ? "Activations / layer" : "Act / layer", wide ? "%s per micro-batch" : "%s", b1);
#undef ROW
}

/* ---- 4 Scaling ---------------------------------------------------------- */

static void yfmt_loss(double v, char *buf, size_t cap, void *ctx)
{
    (void)ctx;
    snprintf(buf, cap, "%.2f", v);
}

static void view_scaling(llmem_app *a, llmem_rect in)
{
    llmem_canvas *c = &a->canvas;
    if (!a->vm.valid) {
        not_valid(a, in);
        return;
    }
    const llm_params *p = &a->vm.est.params;
    double n_now = (double)(p->non_embedding ? p->non_embedding : p->total);
    enum { NPTS = 25 };
    double xs[NPTS + 1], ys[NPTS + 1];
    char labels[NPTS + 1][16];
    const char *xl[NPTS + 1];
    int mark = -1;
    size_t n = 0;
    for (int i = 0; i < NPTS; i++) { /* 1e7 .. 1e13, four points per decade */
        double x = pow(10, 7 + i * 0.25);
        if (mark < 0 && n_now <= x) {
            xs[n] = n_now;
            ys[n] = llm_kaplan_loss_n(n_now);
            llm_fmt_count(labels[n], sizeof labels[n], n_now);
            xl[n] = labels[n];
            mark = (int)n++;
        }
        xs[n] = x;
        ys[n] = llm_kaplan_loss_n(x);
        if (i % 4 == 0) {
            llm_fmt_count(labels[n], sizeof labels[n], x);
            xl[n] = labels[n];
        } else {
            xl[n] = NULL;
        }
        n++;
    }
    bool wide = in.w >= 70;
    char b1[32], b2[32], l1[256], l2[256], l3[256];
    llm_fmt_count(b1, sizeof b1, n_now);
    /* Kaplan's alpha_N = 0.076 is the exponent of the loss law only; the
     * improvement factor below uses the same alpha as explain and the CLI
     * (LLM_IMPROVEMENT_ALPHA_DEFAULT), so the numbers agree everywhere. */
    snprintf(l1, sizeof l1,
             wide ? "this model: N = %s, Kaplan L(N) = (8.8e13/N)^0.076 = %.3f (loss-law exponent α_N = 0.076)"
                  : "this model: N = %s, L(N) = %.3f (exponent α_N = 0.076)",
             b1, llm_kaplan_loss_n(n_now));
    double ptot = (double)p->total;
    llm_fmt_count(b2, sizeof b2, llm_chinchilla_tokens(ptot));
    snprintf(l2, sizeof l2,
             wide ? "Chinchilla: L = %.3f at the compute-optimal D = 20·N = %s tokens"
                  : "Chinchilla L = %.3f at D = 20·N = %s tokens",
             llm_chinchilla_loss(ptot, llm_chinchilla_tokens(ptot)), b2);
    snprintf(l3, sizeof l3,
             wide ? "to improve the loss by x you need (1 + x)^(1/α) times the parameters, α = %.2f (as in explain):"
                  : "x less loss needs (1+x)^(1/α)× the parameters, α = %.2f:",
             LLM_IMPROVEMENT_ALPHA_DEFAULT);
    /* the text under the chart, each line wrapped at words; the chart gets the rest */
    int tw = in.w - 2;
    int r1 = wrap(NULL, 0, 0, tw, 3, l1, 0, false), r2 = wrap(NULL, 0, 0, tw, 3, l2, 0, false),
        r3 = wrap(NULL, 0, 0, tw, 3, l3, 0, false);
    int text_rows = r1 + r2 + r3 + 1;
    llmem_rect chart = {in.x + 1, in.y + 1, in.w - 2, in.h - text_rows - 1};
    llmem_canvas_text_fit(c, in.x + 1, in.y, in.w - 2,
                          wide ? "Kaplan loss L(N) vs non-embedding parameters (log axes)"
                               : "Kaplan loss L(N), non-embedding N (log)",
                          LLMEM_ROLE_DIM, false);
    llmem_chart ch = {xs, ys, NULL, n, true, true, 0, 0, NULL, 0, mark, xl, yfmt_loss, NULL};
    if (chart.h >= 6) llmem_w_chart(c, chart, &ch, glyphs(a));
    int y = in.y + in.h - text_rows;
    char line[256];
    y += wrap(c, in.x + 1, y, tw, r1, l1, LLMEM_ROLE_ACCENT, true);
    y += wrap(c, in.x + 1, y, tw, r2, l2, LLMEM_ROLE_LABEL, false);
    y += wrap(c, in.x + 1, y, tw, r3, l3, LLMEM_ROLE_LABEL, false);
    const double pcts[] = {0.01, 0.05, 0.10, 0.20};
    int x = in.x + 3;
    for (int i = 0; i < 4; i++) {
        double f = llm_improvement_factor(pcts[i], LLM_IMPROVEMENT_ALPHA_DEFAULT);
        snprintf(line, sizeof line, "%.0f%%: %.3g×", pcts[i] * 100, f);
        int w = llmem_utf8_width(line);
        if (x + w > in.x + in.w) break;
        llmem_canvas_text(c, x, y, w, line, LLMEM_ROLE_VALUE, true);
        x += w + 3;
    }
}

/* ---- 5 Techniques ------------------------------------------------------- */

static void view_techniques(llmem_app *a, llmem_rect in)
{
    llmem_canvas *c = &a->canvas;
    const llmem_glyphs *g = glyphs(a);
    llmem_tech_step st[LLMEM_TECH_STEPS];
    size_t n = llmem_vm_techniques(&a->cfg, a->reg, st);
    double top = 0;
    for (size_t i = 0; i < n; i++)
        if (st[i].ok && st[i].per_gpu > top) top = st[i].per_gpu;
    char b1[32], b2[32], line[160];
    bool full = a->layout.mode == LLMEM_LAYOUT_FULL;
    llmem_canvas_printf(c, in.x + 1, in.y, in.w - 2, LLMEM_ROLE_DIM, false,
                        full ? "per-GPU memory, naive baseline → current setting (%s)" : "per GPU, naive → current (%s)",
                        llm_units_name(a->units));
    int nw = 18, vw = full ? 10 : 8, sw = full ? 12 : 9; /* "Naive fp32, 1 GPU" + a space */
    int bx = in.x + 1 + nw + vw + sw + 1, bw = in.x + in.w - bx - 1;
    int y = in.y + 2;
    for (size_t i = 0; i < n && y < in.y + in.h; i++) {
        llmem_canvas_text_fit(c, in.x + 1, y, nw, st[i].name, i == 0 ? LLMEM_ROLE_HEADING : LLMEM_ROLE_LABEL, i == 0);
        if (!st[i].ok) {
            llmem_canvas_text_fit(c, in.x + 1 + nw, y, in.w - nw - 2, st[i].err.message, LLMEM_ROLE_WARN, false);
            y += full ? 2 : 1;
            continue;
        }
        bytes_at(a, b1, sizeof b1, st[i].per_gpu);
        llmem_canvas_text_right(c, in.x + 1 + nw, y, vw, b1, LLMEM_ROLE_VALUE, true);
        if (i > 0 && st[i - 1].ok) {
            double d = st[i].per_gpu - st[i - 1].per_gpu;
            bytes_at(a, b2, sizeof b2, d);
            snprintf(line, sizeof line, "%s%s", d > 0 ? "+" : "", fabs(d) < 0.005 * 1e9 ? "0" : b2);
            llmem_canvas_text_right(c, in.x + 1 + nw + vw, y, sw, line,
                                    d < 0 ? LLMEM_ROLE_OK : d > 0 ? LLMEM_ROLE_OVER : LLMEM_ROLE_DIM, false);
        }
        int role = i == n - 1 ? LLMEM_ROLE_ACCENT : i == 0 ? LLMEM_ROLE_OVER : LLMEM_ROLE_WEIGHTS;
        if (bw > 2) llmem_w_bar(c, bx, y, bw, top > 0 ? st[i].per_gpu / top : 0, role, g->seg[0], g);
        if (full && y + 1 < in.y + in.h)
            llmem_canvas_text_fit(c, in.x + 3, y + 1, in.w - 4, st[i].what, LLMEM_ROLE_DIM, false);
        y += full ? 2 : 1;
    }
    if (y + 1 < in.y + in.h && st[0].ok && st[n - 1].ok && st[n - 1].per_gpu > 0) {
        snprintf(line, sizeof line,
                 full ? "together: %.1f× less memory per GPU than the naive baseline" : "together: %.1f× less per GPU",
                 st[0].per_gpu / st[n - 1].per_gpu);
        llmem_canvas_text(c, in.x + 1, y + 1, in.w - 2, line, LLMEM_ROLE_ACCENT, true);
    }
}

/* ---- 6 Sweep ------------------------------------------------------------ */

static void view_sweep(llmem_app *a, llmem_rect in)
{
    llmem_canvas *c = &a->canvas;
    llmem_sweep s;
    llmem_vm_sweep(&a->cfg, a->reg, a->sweep_axis, &s);
    char line[256];
    snprintf(line, sizeof line, in.w >= 60 ? "per-GPU memory vs %s   (a: next axis)" : "memory vs %s (a: axis)",
             s.axis_name);
    llmem_canvas_text_fit(c, in.x + 1, in.y, in.w - 2, line, LLMEM_ROLE_DIM, false);
    const char *xl[LLMEM_SWEEP_MAX];
    double xs[LLMEM_SWEEP_MAX];
    for (size_t i = 0; i < s.n; i++) {
        xl[i] = s.xlabel[i];
        xs[i] = s.axis == LLMEM_SWEEP_PRECISION ? (double)i : s.x[i];
    }
    llmem_hline hl[1];
    size_t nh = 0;
    char cap[128];
    if (a->vm.gpu) {
        char b[32];
        llm_fmt_bytes(b, sizeof b, a->vm.gpu->memory_bytes, a->units);
        snprintf(cap, sizeof cap, "%s %s", a->vm.gpu->id, b);
        hl[nh++] = (llmem_hline){.y = a->vm.gpu->memory_bytes, .label = cap, .role = LLMEM_ROLE_OVER};
    }
    char cross[48];
    if (nh && s.solved && s.solve_found && s.solve_value > 0) { /* the engine's crossing */
        char b[32];
        llm_fmt_int(b, sizeof b, s.solve_value);
        snprintf(cross, sizeof cross, "max %s", b);
        hl[0].cross_x = (double)s.solve_value;
        hl[0].cross_label = cross;
    }
    llmem_rect chart = {in.x + 1, in.y + 1, in.w - 2, in.h - 3};
    bool logx = s.axis == LLMEM_SWEEP_SEQ || s.axis == LLMEM_SWEEP_BATCH;
    /* a log memory axis when the values span more than 30x, so the GPU's
     * line and the small end stay readable next to a huge long-context end */
    double lo = 0, hi = 0;
    for (size_t i = 0; i < s.n; i++)
        if (s.ok[i] && s.y[i] > 0) {
            if (lo == 0 || s.y[i] < lo) lo = s.y[i];
            if (s.y[i] > hi) hi = s.y[i];
        }
    bool logy = lo > 0 && hi / lo > 30;
    llmem_chart ch = {xs, s.y, s.ok, s.n, logx, logy, 0, 0, hl, nh, s.current, xl, yfmt_bytes, a};
    if (s.n) llmem_w_chart(c, chart, &ch, glyphs(a));
    int y = in.y + in.h - 1;
    if (s.solved && a->vm.gpu) {
        char b[48];
        llm_fmt_int(b, sizeof b, s.solve_value);
        bool wide = in.w >= 72;
        if (s.solve_found)
            snprintf(line, sizeof line, wide ? "max %s %s on one %s (this parallel layout)" : "max %s %s on one %s", b,
                     s.axis == LLMEM_SWEEP_SEQ ? "tokens" : wide ? "sequences per micro-batch" : "seqs/micro-batch",
                     a->vm.gpu->id);
        else
            snprintf(line, sizeof line, wide ? "does not fit on one %s at any %s" : "no fit on one %s at any %s",
                     a->vm.gpu->id, wide ? s.axis_name : s.axis == LLMEM_SWEEP_SEQ ? "length" : "size");
        llmem_canvas_text_fit(c, in.x + 1, y, in.w - 2, line, LLMEM_ROLE_ACCENT, true);
    } else if (!a->vm.gpu) {
        llmem_canvas_text_fit(c, in.x + 1, y, in.w - 2, "choose a GPU to see its capacity line",
                          LLMEM_ROLE_DIM, false);
    }
}

/* ---- 7 Compare ---------------------------------------------------------- */

static void view_compare(llmem_app *a, llmem_rect in)
{
    llmem_canvas *c = &a->canvas;
    if (!a->pinned) {
        wrap(c, in.x + 1, in.y + 1, in.w - 2, in.h - 1,
             "Nothing pinned: press c to pin the current configuration, then move sliders and come "
             "back here to see every delta.",
             LLMEM_ROLE_LABEL, false);
        return;
    }
    if (!a->vm.valid || !a->pin_vm.valid) {
        not_valid(a, in);
        return;
    }
    const llm_estimate *p = &a->pin_vm.est, *q = &a->vm.est;
    bool wide = in.w >= 64;
    int nw = wide ? 16 : 11, cw = wide ? (in.w - nw - 2) / 3 : 11;
    if (cw > 16) cw = 16;
    int y = in.y;
    char unit[24];
    snprintf(unit, sizeof unit, "%s", wide ? "figure" : llm_units_name(a->units));
    llmem_canvas_printf(c, in.x + 1, y++, in.w - 1, LLMEM_ROLE_DIM, false, "%-*s%*s%*s%*s", nw, unit,
                        cw, "pinned", cw, "current", cw, "delta");
    char b1[48], b2[48], b3[48];
    for (int i = 0; i <= LLMEM_MEM_CATS && y < in.y + in.h; i++, y++) {
        double vp = llmem_mem_value(&p->per_gpu, i), vq = llmem_mem_value(&q->per_gpu, i);
        llmem_canvas_text_fit(c, in.x + 1, y, nw, i < LLMEM_MEM_CATS ? llmem_mem_name(i) : wide ? "Total/GPU" : "Total",
                          i < LLMEM_MEM_CATS ? LLMEM_ROLE_LABEL : LLMEM_ROLE_HEADING, i == LLMEM_MEM_CATS);
        if (wide) {
            llm_fmt_bytes(b1, sizeof b1, vp, a->units);
            llm_fmt_bytes(b2, sizeof b2, vq, a->units);
            llm_fmt_bytes_delta(b3, sizeof b3, vq - vp, a->units);
        } else { /* numbers in the unit of the header */
            bytes_at(a, b1, sizeof b1, vp);
            bytes_at(a, b2, sizeof b2, vq);
            char d[32];
            bytes_at(a, d, sizeof d, vq - vp);
            snprintf(b3, sizeof b3, "%s%s", vq > vp ? "+" : "", d);
        }
        llmem_canvas_text_right(c, in.x + 1 + nw, y, cw, b1, LLMEM_ROLE_VALUE, false);
        llmem_canvas_text_right(c, in.x + 1 + nw + cw, y, cw, b2, LLMEM_ROLE_VALUE, true);
        llmem_canvas_text_right(c, in.x + 1 + nw + 2 * cw, y, cw, b3,
                                vq < vp ? LLMEM_ROLE_OK : vq > vp ? LLMEM_ROLE_OVER : LLMEM_ROLE_DIM, false);
    }
    y++;
    struct {
        const char *name;
        double vp, vq;
        int kind; /* 0 count, 1 flops, 2 duration, 3 tok/s */
    } rows[] = {
        {"Parameters", (double)p->params.total, (double)q->params.total, 0},
        {"Active", (double)p->params.active, (double)q->params.active, 0},
        {wide ? "FLOPs/token" : "FLOPs/tok", p->flops_per_token, q->flops_per_token, 1},
        {"Train time", p->train_seconds, q->train_seconds, 2},
        {"Decode", p->decode_tokens_per_s, q->decode_tokens_per_s, 3},
        {"GPUs", (double)p->gpus, (double)q->gpus, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0] && y < in.y + in.h; i++, y++) {
        char *bs[2] = {b1, b2};
        double vs[2] = {rows[i].vp, rows[i].vq};
        for (int k = 0; k < 2; k++) switch (rows[i].kind) {
            case 0: llm_fmt_count(bs[k], 48, vs[k]); break;
            case 1: llm_fmt_flops(bs[k], 48, vs[k]); break;
            case 2: llm_fmt_duration(bs[k], 48, vs[k]); break;
            default: llm_fmt_tokens_per_s(bs[k], 48, vs[k]); break;
            }
        if (rows[i].vp > 0) snprintf(b3, sizeof b3, "%+.1f%%", (rows[i].vq / rows[i].vp - 1) * 100);
        else snprintf(b3, sizeof b3, "-");
        llmem_canvas_text_fit(c, in.x + 1, y, nw, rows[i].name, LLMEM_ROLE_LABEL, false);
        llmem_canvas_text_right(c, in.x + 1 + nw, y, cw, b1, LLMEM_ROLE_VALUE, false);
        llmem_canvas_text_right(c, in.x + 1 + nw + cw, y, cw, b2, LLMEM_ROLE_VALUE, true);
        llmem_canvas_text_right(c, in.x + 1 + nw + 2 * cw, y, cw, b3, LLMEM_ROLE_DIM, false);
    }
}

void llmem_views_draw(llmem_app *a, llmem_rect in)
{
    switch (a->view) {
    case LLMEM_VIEW_MEMORY: view_memory(a, in); break;
    case LLMEM_VIEW_PARAMS: view_params(a, in); break;
    case LLMEM_VIEW_COMPUTE: view_compute(a, in); break;
    case LLMEM_VIEW_SCALING: view_scaling(a, in); break;
    case LLMEM_VIEW_TECHNIQUES: view_techniques(a, in); break;
    case LLMEM_VIEW_SWEEP: view_sweep(a, in); break;
    case LLMEM_VIEW_COMPARE: view_compare(a, in); break;
    default: break;
    }
}
