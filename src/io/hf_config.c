/* Hugging Face config.json -> llm_preset: files, ids and dispatch.
 *
 * The key mapping of each model_type is in hf_families.c, the precision
 * mapping (torch_dtype, quantization_config) in hf_precision.c, the typed key
 * reads in hf_read.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io/hf_internal.h"
#include "io/hf_read.h"
#include "llmem/presets.h"

#define HF_CONFIG_MAX_BYTES (4u << 20) /* real config.json files are a few KiB */

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* "a/b/llama-3-8b/config.json" -> "llama-3-8b"; "a/b/x.json" -> "x"; ""
 * when the path names no directory ("config.json", "./config.json"). */
static void model_dir_name(const char *file, char *out, size_t cap)
{
    char buf[LLM_ERROR_PATH_MAX];
    copy_str(buf, sizeof buf, file);
    char *base = strrchr(buf, '/');
    char *name = base ? base + 1 : buf;
    if (strcmp(name, "config.json") == 0) {
        name = "";
        if (base) {
            while (base > buf && base[-1] == '/')
                base--;
            *base = '\0';
            char *parent = strrchr(buf, '/');
            name = parent ? parent + 1 : buf;
            if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) name = "";
        }
    } else {
        size_t len = strlen(name);
        if (len > 5 && strcmp(name + len - 5, ".json") == 0) name[len - 5] = '\0';
    }
    copy_str(out, cap, name);
}

/* Preset ids are [a-z0-9][a-z0-9._-]*: lower-case, others become '-'. */
void llm_hf_make_id(const char *in, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 1 < cap; i++) {
        char ch = in[i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                  (j > 0 && (ch == '.' || ch == '_' || ch == '-'));
        out[j++] = ok ? ch : '-';
    }
    out[j] = '\0';
    if (j == 0 || out[0] == '-') copy_str(out, cap, "hf-model");
}

/* The preset from a parsed config.json (file = the config's path). */
static llm_code from_tree(const char *file, const llm_ytree *t, llm_preset *out, llm_error *err)
{
    hf_ctx c;
    memset(&c, 0, sizeof c);
    c.path = file;
    c.err = err;
    c.root = llm_ytree_root(t);

    llm_preset p;
    memset(&p, 0, sizeof p);
    llm_workload_default(&p.workload);
    llm_model *m = &p.model;
    const hf_family *fam = NULL;
    const char *type = NULL;
    const llm_ynode *type_key = NULL;

    if (!c.root)
        return llm_error_set_at(err, LLM_ERR_SCHEMA, file, 1, 1,
                                "empty file: expected a JSON object");
    if (llm_hf_kind(c.root) != HF_OBJECT)
        return llm_hf_fail(&c, c.root, LLM_ERR_SCHEMA, "config.json must be a JSON object, got %s",
                           llm_hf_kind_name(llm_hf_kind(c.root)));
    HF_TRY(llm_hf_str_opt(&c, "model_type", &type, &type_key));
    const llm_ynode *top = c.root;
    const char *top_type = type;
    const hf_composite *comp = type ? llm_hf_composite_find(type) : NULL;
    if (comp) {
        /* Import the text model from its nested config; precision and
         * names stay at the top level. */
        hf_field sub = llm_hf_field(&c, comp->key);
        if (!sub.val)
            return llm_hf_fail(&c, c.root, LLM_ERR_SCHEMA,
                               "missing required key %s (model_type %s)", comp->key, type);
        if (llm_hf_kind(sub.val) != HF_OBJECT)
            return llm_hf_fail(&c, sub.key, LLM_ERR_SCHEMA, "%s must be an object, got %s",
                               comp->key, llm_hf_kind_name(llm_hf_kind(sub.val)));
        llm_hf_note(&c, "Text model of a %s checkpoint (%s): %s not counted.", type, comp->key,
                    comp->left_out);
        c.root = sub.val;
        c.nested = true;
        const char *inner = comp->text_type;
        HF_TRY(llm_hf_str_opt(&c, "model_type", &inner, NULL));
        type = inner;
    }
    if (type) {
        fam = llm_hf_family_find(type);
        if (fam && strcmp(fam->type, type) != 0)
            llm_hf_note(&c, "model_type %s read as %s.", type, fam->type);
    }

    if (fam) {
        HF_TRY(fam->map(&c, m));
        copy_str(p.family, sizeof p.family, fam->family);
    } else if (llm_hf_has_generic_keys(&c)) {
        HF_TRY(llm_hf_map_generic(&c, m));
        char fam_id[LLM_ID_MAX];
        llm_hf_make_id(type && *type ? type : "hf", fam_id, sizeof fam_id);
        copy_str(p.family, sizeof p.family, fam_id);
    } else {
        return llm_hf_unknown_type(&c, type_key ? type_key : c.root, type);
    }

    /* The shape must be one the engine can count. */
    llm_params counted;
    llm_error verr;
    if (llm_params_count(m, &counted, &verr) != LLM_OK)
        return llm_error_set_at(err, verr.code, file, c.root->line, c.root->col,
                                "config describes a shape llmem cannot count: %s", verr.message);

    c.root = top;
    c.nested = false;
    HF_TRY(llm_hf_read_precision(&c, &p));

    char dir[LLM_NAME_MAX];
    /* id from the model's directory, else from _name_or_path (a Hub id, or
     * the last part of a local path); name from _name_or_path, else the
     * directory. */
    model_dir_name(file, dir, sizeof dir);
    const char *name = NULL;
    HF_TRY(llm_hf_str_opt(&c, "_name_or_path", &name, NULL));
    if (name && !*name) name = NULL;
    const char *id_from = dir;
    if (!*dir && name) {
        const char *slash = strrchr(name, '/');
        id_from = (name[0] == '/' || name[0] == '.') && slash ? slash + 1 : name;
    }
    llm_hf_make_id(*id_from ? id_from : "hf-model", p.id, sizeof p.id);
    copy_str(p.name, sizeof p.name, name ? name : *dir ? dir : p.id);
    p.published = true;
    copy_str(p.source, sizeof p.source, file);
    copy_str(p.origin, sizeof p.origin, file);
    snprintf(
        p.notes, sizeof p.notes, "Imported from a Hugging Face config.json (model_type %s).%s%.*s",
        top_type ? top_type : "none", c.notes[0] ? " " : "", (int)(sizeof p.notes - 80), c.notes);
    *out = p;
    return LLM_OK;
}

llm_code llm_hf_config_parse(const char *path, const char *data, size_t len, llm_preset *out,
                             llm_error *err)
{
    llm_ytree *t = NULL;
    llm_code rc = llm_ytree_parse(path, data, len, NULL, &t, err);
    if (rc != LLM_OK) return rc;
    rc = from_tree(path, t, out, err);
    llm_ytree_free(t);
    return rc;
}

llm_code llm_hf_config_load(const char *path, llm_preset *out, llm_error *err)
{
    char file[LLM_ERROR_PATH_MAX];
    struct stat st;
    if (!path || !*path) return llm_error_set(err, LLM_ERR_USAGE, "no config.json path given");
    if (stat(path, &st) != 0)
        return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
            n--;
        if (n + sizeof "/config.json" > sizeof file)
            return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "path too long");
        memcpy(file, path, n);
        memcpy(file + n, "/config.json", sizeof "/config.json");
    } else {
        if (strlen(path) >= sizeof file)
            return llm_error_set_at(err, LLM_ERR_IO, path, 0, 0, "path too long");
        copy_str(file, sizeof file, path);
    }
    llm_ylimits lim = llm_ylimits_default();
    lim.max_bytes = HF_CONFIG_MAX_BYTES;
    llm_ytree *t = NULL;
    llm_code rc = llm_ytree_load_file(file, &lim, &t, err);
    if (rc != LLM_OK) return rc;
    rc = from_tree(file, t, out, err);
    llm_ytree_free(t);
    return rc;
}
