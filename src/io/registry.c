/* The registry: owned arrays of presets, GPUs, precisions and problems, and
 * the search path that fills it.  File parsing is in preset_load.c. */
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/embedded.h"
#include "io/preset_load.h"
#include "llmem/presets.h"

void llm_registry_init(llm_registry *r) { memset(r, 0, sizeof *r); }

void llm_registry_free(llm_registry *r)
{
    if (!r) return;
    free(r->presets);
    free(r->gpus);
    free(r->dtypes);
    free(r->problems);
    memset(r, 0, sizeof *r);
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need) nc *= 2;
    void *p = realloc(*arr, nc * elem);
    if (!p) return false;
    *arr = p;
    *cap = nc;
    return true;
}

const llm_preset *llm_registry_find(const llm_registry *r, const char *id)
{
    for (size_t i = 0; r && id && i < r->npresets; i++)
        if (strcmp(r->presets[i].id, id) == 0) return &r->presets[i];
    return NULL;
}

const llm_gpu *llm_registry_find_gpu(const llm_registry *r, const char *id)
{
    for (size_t i = 0; r && id && i < r->ngpus; i++)
        if (strcmp(r->gpus[i].id, id) == 0) return &r->gpus[i];
    return NULL;
}

const llm_dtype *llm_registry_find_dtype(const llm_registry *r, const char *name)
{
    for (size_t i = 0; r && name && i < r->ndtypes; i++)
        if (strcmp(r->dtypes[i].name, name) == 0) return &r->dtypes[i];
    return NULL;
}

llm_code llm_registry_add_preset(llm_registry *r, const llm_preset *p, llm_error *err)
{
    if (!p->id[0]) return llm_error_set(err, LLM_ERR_INVALID, "a preset needs an id");
    llm_preset *old = (llm_preset *)(uintptr_t)llm_registry_find(r, p->id);
    if (old) {
        *old = *p;
        return LLM_OK;
    }
    if (!grow((void **)&r->presets, &r->cap_presets_, r->npresets + 1, sizeof *r->presets))
        return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    r->presets[r->npresets++] = *p;
    return LLM_OK;
}

llm_code llm_registry_add_gpu(llm_registry *r, const llm_gpu *g, llm_error *err)
{
    if (!g->id[0]) return llm_error_set(err, LLM_ERR_INVALID, "a GPU needs an id");
    llm_gpu *old = (llm_gpu *)(uintptr_t)llm_registry_find_gpu(r, g->id);
    if (old) {
        *old = *g;
        return LLM_OK;
    }
    if (!grow((void **)&r->gpus, &r->cap_gpus_, r->ngpus + 1, sizeof *r->gpus))
        return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    r->gpus[r->ngpus++] = *g;
    return LLM_OK;
}

llm_code llm_registry_add_dtype(llm_registry *r, const llm_dtype *d, llm_error *err)
{
    if (!d->name[0]) return llm_error_set(err, LLM_ERR_INVALID, "a precision needs a name");
    llm_dtype *old = (llm_dtype *)(uintptr_t)llm_registry_find_dtype(r, d->name);
    if (old) {
        *old = *d;
        return LLM_OK;
    }
    if (!grow((void **)&r->dtypes, &r->cap_dtypes_, r->ndtypes + 1, sizeof *r->dtypes))
        return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    r->dtypes[r->ndtypes++] = *d;
    return LLM_OK;
}

llm_code llm_registry_add_problem(llm_registry *r, const llm_error *problem)
{
    if (!grow((void **)&r->problems, &r->cap_problems_, r->nproblems + 1, sizeof *r->problems))
        return LLM_ERR_NOMEM;
    r->problems[r->nproblems++] = *problem;
    return LLM_OK;
}

/* ---- sources ------------------------------------------------------------- */
llm_code llm_registry_load_buffer(llm_registry *r, const char *path, const char *data, size_t len,
                                  llm_error *err)
{
    llm_source_file f = {path, path, data, len, NULL};
    return llm_load_sources(r, &f, 1, err);
}

llm_code llm_registry_load_file(llm_registry *r, const char *path, llm_error *err)
{
    llm_source_file f = {path, path, NULL, 0, NULL};
    return llm_load_sources(r, &f, 1, err);
}

llm_code llm_registry_load_builtin(llm_registry *r, llm_error *err)
{
    size_t n = llm_embedded_presets_count;
    if (n == 0) return LLM_OK;
    llm_source_file *files = calloc(n, sizeof *files);
    char(*names)[LLM_ERROR_PATH_MAX] = calloc(n, sizeof *names);
    llm_code rc;
    if (!files || !names) {
        rc = llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "builtin:%s", llm_embedded_presets[i].name);
        files[i].path = names[i];
        files[i].origin = names[i];
        files[i].data = llm_embedded_presets[i].data;
        files[i].len = llm_embedded_presets[i].len;
    }
    rc = llm_load_sources(r, files, n, err);
done:
    free(files);
    free(names);
    return rc;
}

static bool is_preset_file(const char *name)
{
    size_t n = strlen(name);
    if (name[0] == '.') return false;
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* missing_ok: an absent directory is not a problem (default search path). */
static llm_code load_dir(llm_registry *r, const char *dir, bool missing_ok, llm_error *err)
{
    llm_error e;
    DIR *d = opendir(dir);
    if (!d) {
        if (missing_ok && (errno == ENOENT || errno == ENOTDIR)) return LLM_OK;
        llm_error_set_at(&e, LLM_ERR_IO, dir, 0, 0, "cannot read the preset directory: %s",
                         strerror(errno));
        if (err) *err = e;
        if (llm_registry_add_problem(r, &e)) return LLM_ERR_NOMEM;
        return e.code;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    llm_code rc = LLM_OK;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (!is_preset_file(ent->d_name)) continue;
        if (!grow((void **)&names, &cap, n + 1, sizeof *names)) {
            rc = LLM_ERR_NOMEM;
            break;
        }
        size_t len = strlen(dir) + 1 + strlen(ent->d_name) + 1;
        names[n] = malloc(len);
        if (!names[n]) {
            rc = LLM_ERR_NOMEM;
            break;
        }
        snprintf(names[n], len, "%s/%s", dir, ent->d_name);
        n++;
    }
    closedir(d);
    if (rc == LLM_OK) {
        qsort(names, n, sizeof *names, cmp_str);
        llm_source_file *files = calloc(n ? n : 1, sizeof *files);
        if (!files) {
            rc = LLM_ERR_NOMEM;
        } else {
            for (size_t i = 0; i < n; i++) {
                files[i].path = names[i];
                files[i].origin = names[i];
            }
            rc = llm_load_sources(r, files, n, err);
            free(files);
        }
    }
    if (rc == LLM_ERR_NOMEM) llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

llm_code llm_registry_load_dir(llm_registry *r, const char *dir, llm_error *err)
{
    return load_dir(r, dir, false, err);
}

#ifndef LLMEM_DATADIR
#define LLMEM_DATADIR "/usr/local/share/llmem"
#endif

llm_code llm_registry_load_default(llm_registry *r, const char *extra_dir, llm_error *err)
{
    llm_error ignored;
    char path[LLM_ERROR_PATH_MAX];
    if (llm_registry_load_builtin(r, &ignored) == LLM_ERR_NOMEM) goto nomem;
    snprintf(path, sizeof path, "%s/presets", LLMEM_DATADIR);
    if (load_dir(r, path, true, &ignored) == LLM_ERR_NOMEM) goto nomem;

    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    path[0] = '\0';
    if (xdg && xdg[0] == '/') snprintf(path, sizeof path, "%s/llmem/presets", xdg);
    else if (home && home[0]) snprintf(path, sizeof path, "%s/.config/llmem/presets", home);
    if (path[0] && load_dir(r, path, true, &ignored) == LLM_ERR_NOMEM) goto nomem;

    if (extra_dir && load_dir(r, extra_dir, false, &ignored) == LLM_ERR_NOMEM) goto nomem;
    return LLM_OK;
nomem:
    return llm_error_set(err, LLM_ERR_NOMEM, "out of memory");
}
