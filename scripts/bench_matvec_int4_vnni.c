// One-core timing of the int4 VNNI matvec (Sources/CKernels/matvec_int4_vnni.c) on random weights, thread CPU time,
// with its result checked against the same arithmetic in double. HUGE=1 puts the weights on transparent huge pages.
// Build and run (docs/PERFORMANCE.md, "int4 on AVX-512 VNNI"):
//   clang -O2 -ISources/CKernels/include scripts/bench_matvec_int4_vnni.c Sources/CKernels/matvec_int4_vnni.c \
//       -o /tmp/bench_int4 -lm && /tmp/bench_int4 103424 1024 10 && HUGE=1 /tmp/bench_int4 103424 1024 10
#include "ckernels_int4.h"
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>
#include <sys/mman.h>
static double now(){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int rows=argc>1?atoi(argv[1]):103424, cols=argc>2?atoi(argv[2]):1024, reps=argc>3?atoi(argv[3]):20;
  int groups=cols/32;
  uint8_t*p=aligned_alloc(1<<21,((size_t)rows*cols/2+(1<<21))&~((size_t)(1<<21)-1)); if(getenv("HUGE")) madvise(p,(size_t)rows*cols/2,MADV_HUGEPAGE); float*d=aligned_alloc(64,(size_t)rows*groups*4+64);
  srand(1); for(size_t i=0;i<(size_t)rows*cols/2;i++)p[i]=rand()&255; for(size_t i=0;i<(size_t)rows*groups;i++)d[i]=(rand()/(float)RAND_MAX-0.5f)*0.01f;
  float*x=malloc(cols*4); for(int i=0;i<cols;i++)x[i]=rand()/(float)RAND_MAX-0.5f;
  void*prep=aligned_alloc(64,ck_int4_prepared_bytes(cols)); 
  float*y=malloc(rows*4);
  if(!ck_int4_prepare_x(x,cols,prep)){printf("no\n");return 1;}
  ck_matvec_int4_vnni(p,d,cols,prep,0,rows,y);
  // reference with quantized x
  double maxd=0, maxy=0;
  for(int r=0;r<(rows<2000?rows:2000);r++){double s=0;for(int g=0;g<groups;g++){float am=0;for(int j=0;j<32;j++)am=fmaxf(am,fabsf(x[g*32+j]));float dx=am/127;long t=0;for(int j=0;j<16;j++){int b=p[(size_t)r*cols/2+g*16+j];int q0=(int)nearbyintf(x[g*32+j]/dx),q1=(int)nearbyintf(x[g*32+16+j]/dx);t+=((b&15)-8)*q0+((b>>4)-8)*q1;}s+=(double)d[r*groups+g]*dx*t;} maxd=fmax(maxd,fabs(s-y[r])); maxy=fmax(maxy,fabs(s));}
  printf("max diff %g (max |y| %g)\n",maxd,maxy);
  double t0=now(); for(int k=0;k<reps;k++){ck_int4_prepare_x(x,cols,prep);ck_matvec_int4_vnni(p,d,cols,prep,0,rows,y);} double t=(now()-t0)/reps;
  double bytes=(double)rows*cols/2+(double)rows*groups*4;
  printf("%d x %d: %.3f ms, %.2f GB/s, %.2f Gweights/s\n",rows,cols,t*1e3,bytes/t/1e9,(double)rows*cols/t/1e9);
  return 0;}
