// Timing of the int4 VNNI matvec (Sources/CKernels/matvec_int4_vnni.c) on random tiled weights, wall time with T
// threads (thread CPU time with 1) each owning a contiguous range of tiles (as the engine's parallelFor splits them), checked against the same
// arithmetic in double. HUGE=1 puts the weights on transparent huge pages (as the engine's WeightBuffer does).
// Build and run (docs/PERFORMANCE.md, "int4: the tiled layout"):
//   clang -O2 -march=native -ISources/CKernels/include scripts/bench_matvec_int4_vnni.c \
//       Sources/CKernels/matvec_int4_vnni.c -o /tmp/bench_int4 -lm -lpthread
//   HUGE=1 /tmp/bench_int4 103424 1024 10 2     # rows cols reps threads
#include "ckernels_int4.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

struct job { const uint8_t *w; int rows, cols, t0, t1, reps; const void *prep; float *y; pthread_barrier_t *bar; };

static void *run(void *arg) {
    struct job *j = arg;
    for (int k = 0; k < j->reps; k++) {
        pthread_barrier_wait(j->bar);
        ck_matvec_int4_vnni(j->w, j->rows, j->cols, j->prep, j->t0, j->t1, j->y);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int rows = argc > 1 ? atoi(argv[1]) : 103424, cols = argc > 2 ? atoi(argv[2]) : 1024;
    int reps = argc > 3 ? atoi(argv[3]) : 20, threads = argc > 4 ? atoi(argv[4]) : 1;
    int tiles = (rows + 7) / 8, blocks = (cols + 127) / 128;
    size_t bytes = (size_t)tiles * blocks * CK_I4_TILE_BLOCK, huge = (size_t)1 << 21;
    uint8_t *w = aligned_alloc(huge, (bytes + huge - 1) / huge * huge);
    if (getenv("HUGE")) madvise(w, bytes, MADV_HUGEPAGE);
    srand(1);
    for (size_t i = 0; i < bytes; i++) w[i] = rand() & 255;
    for (size_t t = 0; t < (size_t)tiles * blocks; t++) {              // scales: small finite halfs
        uint16_t *s = (uint16_t *)(w + t * CK_I4_TILE_BLOCK + 512);
        for (int i = 0; i < 32; i++) s[i] = 0x1800 | (rand() & 0x3FF) | ((rand() & 1) << 15);   // ±(1…2)·2⁻⁹
    }
    float *x = malloc(cols * 4), *y = malloc(rows * 4);
    for (int i = 0; i < cols; i++) x[i] = rand() / (float)RAND_MAX - 0.5f;
    void *prep = aligned_alloc(64, ck_int4_prepared_bytes(cols));
    if (!ck_int4_prepare_x(x, cols, prep)) { printf("no VNNI\n"); return 1; }
    ck_matvec_int4_vnni(w, rows, cols, prep, 0, tiles, y);
    double maxd = 0, maxy = 0;                                         // the same arithmetic in double
    for (int r = 0; r < (rows < 2000 ? rows : 2000); r++) {
        double s = 0;
        for (int g = 0; g < cols / 32; g++) {
            float am = 0;
            for (int j = 0; j < 32; j++) am = fmaxf(am, fabsf(x[g * 32 + j]));
            float dx = am / 127;
            const uint8_t *blk = w + ((size_t)(r / 8) * blocks + g / 4) * CK_I4_TILE_BLOCK;
            const uint8_t *p = blk + 64 * (r % 8) + 16 * (g % 4);
            long t = 0;
            for (int j = 0; j < 16; j++)
                t += ((p[j] & 15) - 8) * (long)nearbyintf(x[g * 32 + j] / dx)
                   + ((p[j] >> 4) - 8) * (long)nearbyintf(x[g * 32 + 16 + j] / dx);
            _Float16 d; memcpy(&d, blk + 512 + 8 * (r % 8) + 2 * (g % 4), 2);
            s += (double)d * dx * t;
        }
        maxd = fmax(maxd, fabs(s - y[r])); maxy = fmax(maxy, fabs(s));
    }
    printf("max diff %g (max |y| %g)\n", maxd, maxy);
    if (threads == 1) {                                                // one thread: its CPU time, steadier under load
        struct timespec a, b;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
        for (int k = 0; k < 100 * reps; k++) { x[k % cols] += 1e-7f; ck_int4_prepare_x(x, cols, prep); }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
        printf("ck_int4_prepare_x of %d floats: %.3f us\n", cols,
               (b.tv_sec - a.tv_sec + (b.tv_nsec - a.tv_nsec) * 1e-9) / (100 * reps) * 1e6);
        ck_int4_prepare_x(x, cols, prep);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
        for (int k = 0; k < reps; k++) ck_matvec_int4_vnni(w, rows, cols, prep, 0, tiles, y);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
        double t = (b.tv_sec - a.tv_sec + (b.tv_nsec - a.tv_nsec) * 1e-9) / reps;
        printf("%d x %d, 1 thread, thread CPU time: %.3f ms, %.2f GB/s (%zu bytes)\n", rows, cols, t * 1e3, bytes / t / 1e9, bytes);
        return 0;
    }
    pthread_t th[16]; struct job jobs[16]; pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, threads + 1);
    for (int i = 0; i < threads; i++) {
        jobs[i] = (struct job){w, rows, cols, tiles * i / threads, tiles * (i + 1) / threads, reps, prep, y, &bar};
        pthread_create(&th[i], NULL, run, &jobs[i]);
    }
    double t0 = now();
    for (int k = 0; k < reps; k++) pthread_barrier_wait(&bar);        // rep k starts once every thread ended k − 1
    for (int i = 0; i < threads; i++) pthread_join(th[i], NULL);
    double t = (now() - t0) / reps;
    printf("%d x %d, %d thread(s): %.3f ms, %.2f GB/s (%zu bytes)\n", rows, cols, threads, t * 1e3, bytes / t / 1e9, bytes);
    return 0;
}
