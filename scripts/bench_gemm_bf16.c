// Times the bf16 gemm kernels alone (Sources/CKernels: AMX and AVX512-BF16, whichever this CPU has), one thread,
// thread CPU time (so load from other processes distorts less). Shapes are ERNIE-4.5-0.3B's prefill products at
// 512 tokens.
// Build and run: scripts/bench_gemm_bf16.sh
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ckernels.h"

static double cpuSeconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef bool (*Kernel)(const uint16_t *, int, int, const void *, int, int, int, float *, int);

static void timeKernel(const char *name, Kernel kernel) {
    const int shapes[][3] = {{512, 2048, 1024}, {512, 3072, 1024}, {512, 1024, 3072}, {512, 256, 1024}};
    for (int s = 0; s < 4; s++) {
        int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = malloc(sizeof(float) * m * k), *c = malloc(sizeof(float) * m * n);
        uint16_t *w = malloc(2 * (size_t)n * k);
        uint16_t *packed = aligned_alloc(64, ck_packed_activations_bytes(m, k));
        srand(1);
        for (long i = 0; i < (long)m * k; i++) a[i] = (float)rand() / (float)RAND_MAX - 0.5f;
        for (long i = 0; i < (long)n * k; i++) w[i] = 0x3c00 + (rand() & 0xff);   // bf16 near 0.0078…0.016
        double best = 1e9, bestPack = 1e9;
        for (int rep = 0; rep < 7; rep++) {
            double t0 = cpuSeconds();
            ck_pack_activations_bf16(a, k, m, k, 0, m, packed);
            double t1 = cpuSeconds();
            kernel(packed, m, k, w, k, 0, n, c, n);
            double t2 = cpuSeconds();
            if (t2 - t1 < best) best = t2 - t1;
            if (t1 - t0 < bestPack) bestPack = t1 - t0;
        }
        printf("%s m %d n %d k %d: gemm %.2f ms = %.0f GFLOP/s (1 thread, best of 7), pack A %.3f ms\n", name, m, n, k,
               best * 1e3, 2.0 * m * n * k / best * 1e-9, bestPack * 1e3);
        free(a); free(c); free(w); free(packed);
    }
}

int main(void) {
    if (ck_amx_bf16_supported()) timeKernel("amx", ck_gemm_bf16_amx);
    else printf("no AMX-BF16 here\n");
    if (ck_avx512bf16_supported()) timeKernel("avx512bf16", ck_gemm_bf16_avx512);
    else printf("no AVX512-BF16 here\n");
    return 0;
}
