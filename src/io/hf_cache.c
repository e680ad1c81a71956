/* Models in the local Hugging Face cache, as presets of family "hf-cache".
 *
 * The cache directory is the one huggingface_hub uses: $HF_HUB_CACHE, else
 * $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
 * ~/.cache/huggingface/hub.  A model lives in models--<org>--<name>/, its
 * files in snapshots/<commit>/ (refs/main names the current commit).  One
 * preset per model: the snapshot refs/main points to, else the snapshot whose
 * config.json is newest.  A config that does not import becomes a registry
 * problem; the scan goes on.  The scan is bounded (entries read, models and
 * snapshots looked at, bytes of config read) so a huge or odd cache cannot
 * stall start-up.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/hf_internal.h"
#include "llmem/presets.h"

#define HF_CACHE_MAX_ENTRIES 4096        /* entries read from the hub directory */
#define HF_CACHE_MAX_MODELS 512          /* models--* directories imported */
#define HF_CACHE_MAX_SNAPSHOTS 64        /* snapshot entries read per model */
#define HF_CACHE_MAX_CONFIG (512u << 10) /* one config.json (they are a few KiB) */
#define HF_CACHE_BUDGET (16u << 20)      /* config bytes read by one scan */

static bool join(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s/%s", a, b);
    return n > 0 && (size_t)n < cap;
}

static bool hub_dir(char *out, size_t cap)
{
    const char *v = getenv("HF_HUB_CACHE");
    if (v && *v) {
        int n = snprintf(out, cap, "%s", v);
        return n > 0 && (size_t)n < cap;
    }
    if ((v = getenv("HF_HOME")) && *v) return join(out, cap, v, "hub");
    if ((v = getenv("XDG_CACHE_HOME")) && *v) return join(out, cap, v, "huggingface/hub");
    if ((v = getenv("HOME")) && *v) return join(out, cap, v, ".cache/huggingface/hub");
    return false;
}

static bool is_file(const char *path, struct stat *st)
{
    return stat(path, st) == 0 && S_ISREG(st->st_mode);
}

/* A snapshot name is a commit hash: no path separators, not "." or "..". */
static bool plain_name(const char *s)
{
    return *s && *s != '.' && !strchr(s, '/');
}

/* The config.json of the model's current snapshot; false when there is none. */
static bool pick_snapshot(const char *model_dir, char *snap, size_t snap_cap, char *config,
                          size_t config_cap)
{
    char path[LLM_ERROR_PATH_MAX], ref[128];
    struct stat st;
    if (join(path, sizeof path, model_dir, "refs/main")) {
        FILE *f = fopen(path, "r");
        if (f) {
            size_t n = fread(ref, 1, sizeof ref - 1, f);
            fclose(f);
            ref[n] = '\0';
            ref[strcspn(ref, " \t\r\n")] = '\0';
            char snaps[LLM_ERROR_PATH_MAX];
            if (plain_name(ref) && join(snaps, sizeof snaps, model_dir, "snapshots") &&
                join(snap, snap_cap, snaps, ref) && join(config, config_cap, snap, "config.json") &&
                is_file(config, &st))
                return true;
        }
    }
    char snaps[LLM_ERROR_PATH_MAX];
    if (!join(snaps, sizeof snaps, model_dir, "snapshots")) return false;
    DIR *d = opendir(snaps);
    if (!d) return false;
    bool found = false;
    struct timespec newest = {0, 0};
    struct dirent *de;
    for (int seen = 0; seen < HF_CACHE_MAX_SNAPSHOTS && (de = readdir(d)) != NULL; seen++) {
        char s[LLM_ERROR_PATH_MAX], c[LLM_ERROR_PATH_MAX];
        if (!plain_name(de->d_name)) continue;
        if (!join(s, sizeof s, snaps, de->d_name) || !join(c, sizeof c, s, "config.json")) continue;
        if (!is_file(c, &st)) continue;
        bool newer = !found || st.st_mtim.tv_sec > newest.tv_sec ||
                     (st.st_mtim.tv_sec == newest.tv_sec && st.st_mtim.tv_nsec > newest.tv_nsec);
        if (newer && strlen(s) < snap_cap && strlen(c) < config_cap) {
            memcpy(snap, s, strlen(s) + 1);
            memcpy(config, c, strlen(c) + 1);
            newest = st.st_mtim;
            found = true;
        }
    }
    closedir(d);
    return found;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "models--meta-llama--Llama-3-8B" -> "meta-llama/Llama-3-8B" (repo ids
 * cannot contain "--", so the first one separates the owner). */
static void repo_id(const char *dir, char *out, size_t cap)
{
    const char *s = dir + strlen("models--");
    const char *sep = strstr(s, "--");
    if (sep)
        snprintf(out, cap, "%.*s/%s", (int)(sep - s), s, sep + 2);
    else
        snprintf(out, cap, "%s", s);
}

static llm_code add_problem(llm_registry *r, const llm_error *e)
{
    return llm_registry_add_problem(r, e) == LLM_OK ? LLM_OK : LLM_ERR_NOMEM;
}

/* *budget: config bytes the scan may still read. */
static llm_code import_model(llm_registry *r, const char *hub, const char *dirname, size_t *budget)
{
    char model_dir[LLM_ERROR_PATH_MAX], snap[LLM_ERROR_PATH_MAX], config[LLM_ERROR_PATH_MAX];
    if (!join(model_dir, sizeof model_dir, hub, dirname)) return LLM_OK;
    if (!pick_snapshot(model_dir, snap, sizeof snap, config, sizeof config)) return LLM_OK;

    llm_preset p;
    llm_error e;
    struct stat st;
    if (stat(config, &st) != 0) return LLM_OK;
    if ((unsigned long long)st.st_size > HF_CACHE_MAX_CONFIG) {
        llm_error_set_at(&e, LLM_ERR_LIMIT, config, 0, 0,
                         "config.json is %lld bytes, above the cache scan's limit of %u",
                         (long long)st.st_size, HF_CACHE_MAX_CONFIG);
        return add_problem(r, &e);
    }
    if ((size_t)st.st_size > *budget) {
        llm_error_set_at(&e, LLM_ERR_LIMIT, hub, 0, 0,
                         "cache scan stopped at %s: %u bytes of config.json read", dirname,
                         HF_CACHE_BUDGET);
        *budget = 0;
        return add_problem(r, &e);
    }
    *budget -= (size_t)st.st_size;
    if (llm_hf_config_load(config, &p, &e) != LLM_OK) return add_problem(r, &e);

    char repo[LLM_NAME_MAX];
    repo_id(dirname, repo, sizeof repo);
    snprintf(p.id, sizeof p.id, "hf:%.*s", (int)(sizeof p.id - 4), repo); /* long ids are cut */
    snprintf(p.name, sizeof p.name, "%s", repo);
    snprintf(p.family, sizeof p.family, "hf-cache");
    snprintf(p.origin, sizeof p.origin, "hf-cache:%.*s", (int)(sizeof p.origin - 10), snap);
    char notes[LLM_TEXT_MAX];
    snprintf(notes, sizeof notes, "Local model from the Hugging Face cache. %.*s",
             (int)(sizeof notes - 42), p.notes);
    memcpy(p.notes, notes, sizeof p.notes);
    llm_error add_err;
    return llm_registry_add_preset(r, &p, &add_err) == LLM_OK ? LLM_OK : LLM_ERR_NOMEM;
}

llm_code llm_registry_scan_hf_cache(llm_registry *r, llm_error *err)
{
    char hub[LLM_ERROR_PATH_MAX];
    if (!hub_dir(hub, sizeof hub)) return LLM_OK;
    DIR *d = opendir(hub);
    if (!d) return LLM_OK; /* no cache: nothing to list */

    /* Collect, then sort: readdir order is arbitrary and the listing should
     * not change from run to run. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    llm_code rc = LLM_OK;
    struct dirent *de;
    for (int seen = 0;
         seen < HF_CACHE_MAX_ENTRIES && n < HF_CACHE_MAX_MODELS && (de = readdir(d)) != NULL;
         seen++) {
        if (strncmp(de->d_name, "models--", 8) != 0 || !de->d_name[8]) continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **nn = realloc(names, ncap * sizeof *nn);
            if (!nn) {
                rc = LLM_ERR_NOMEM;
                break;
            }
            names = nn;
            cap = ncap;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) {
            rc = LLM_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == LLM_OK) {
        qsort(names, n, sizeof *names, cmp_names);
        size_t budget = HF_CACHE_BUDGET;
        for (size_t i = 0; i < n && rc == LLM_OK && budget > 0; i++)
            rc = import_model(r, hub, names[i], &budget);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc != LLM_OK) return llm_error_set(err, rc, "out of memory while scanning %s", hub);
    return LLM_OK;
}
