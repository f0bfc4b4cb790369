// Measurement tool, never shipped: an LD_PRELOAD library that gives every llama_context that
// node-llama-cpp creates a persistent ggml threadpool, which is what one `llama_attach_threadpool`
// call in node-llama-cpp's AddonContext would do (llama-bench and llama-cli do it; the addon does
// not, so ggml-cpu creates and joins its worker threads on every llama_decode). With it, the
// benchmarks measure what that native change would give, on the same binaries.
//
// Build (Linux; headers from the llama.cpp that node-llama-cpp bundles, see bench/README.md):
//   git clone -q node_modules/node-llama-cpp/llama/gitRelease.bundle /tmp/llama.cpp
//   B=node_modules/@node-llama-cpp/linux-x64/bins/linux-x64
//   gcc -O2 -shared -fPIC -I/tmp/llama.cpp/include -I/tmp/llama.cpp/ggml/include bench/native/threadpool-shim.c
//       -o /tmp/threadpool-shim.so -L$B -l:libllama.v0.4.0.so -l:libggml.v0.4.0.so -l:libggml-base.so -Wl,-rpath,$PWD/$B -ldl
// Use: LD_PRELOAD=/tmp/threadpool-shim.so node ...   (TPSHIM_POLL=N sets ggml's polling level, default 0;
// TPSHIM_VERBOSE=1 logs each pool it attaches), or pass --threadpool-shim /tmp/threadpool-shim.so to the benchmarks.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "ggml-backend.h"
#include "llama.h"

typedef int (*decode_fn)(struct llama_context *, struct llama_batch);
typedef void (*free_fn)(struct llama_context *);
typedef struct ggml_threadpool * (*tp_new_fn)(struct ggml_threadpool_params *);
typedef void (*tp_free_fn)(struct ggml_threadpool *);

#define MAX_CONTEXTS 256
static struct { struct llama_context * ctx; struct ggml_threadpool * tp; int n; } pools[MAX_CONTEXTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static tp_new_fn tp_new;
static tp_free_fn tp_free;

static void resolve(void) {
    if (tp_new) return;
    ggml_backend_dev_t dev = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU);
    ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(dev);
    tp_free = (tp_free_fn) ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_free");
    tp_new = (tp_new_fn) ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new");
}

int llama_decode(struct llama_context * ctx, struct llama_batch batch) {
    static decode_fn real;
    if (!real) real = (decode_fn) dlsym(RTLD_NEXT, "llama_decode");
    const int n = llama_n_threads(ctx); // node-llama-cpp sets n_threads_batch to the same value
    pthread_mutex_lock(&lock);
    resolve();
    int i = 0, empty = -1;
    for (; i < MAX_CONTEXTS && pools[i].ctx != ctx; i++) if (!pools[i].ctx && empty < 0) empty = i;
    if (i == MAX_CONTEXTS) i = empty;
    if (i >= 0 && tp_new && (pools[i].ctx != ctx || pools[i].n != n)) {
        struct ggml_threadpool_params p = ggml_threadpool_params_default(n);
        const char * poll = getenv("TPSHIM_POLL");
        p.poll = poll ? atoi(poll) : 0;
        struct ggml_threadpool * tp = tp_new(&p);
        llama_attach_threadpool(ctx, tp, tp);
        if (pools[i].ctx == ctx && pools[i].tp && tp_free) tp_free(pools[i].tp);
        pools[i].ctx = ctx;
        pools[i].tp = tp;
        pools[i].n = n;
        if (getenv("TPSHIM_VERBOSE")) fprintf(stderr, "threadpool-shim: %d-thread pool (poll %d) attached\n", n, p.poll);
    }
    pthread_mutex_unlock(&lock);
    return real(ctx, batch);
}

void llama_free(struct llama_context * ctx) {
    static free_fn real;
    if (!real) real = (free_fn) dlsym(RTLD_NEXT, "llama_free");
    pthread_mutex_lock(&lock);
    struct ggml_threadpool * tp = NULL;
    for (int i = 0; i < MAX_CONTEXTS; i++) {
        if (pools[i].ctx == ctx) {
            tp = pools[i].tp;
            pools[i].ctx = NULL;
            pools[i].tp = NULL;
        }
    }
    pthread_mutex_unlock(&lock);
    real(ctx);
    if (tp && tp_free) tp_free(tp);
}
