// Opening a VF's directory four ways, on a tree shaped like the simulated node's (make it with
// the commands below): by the full /sys/bus/pci/devices/<a> path (through its link), relative to
// an open /sys/bus/pci/devices, as virtfnN relative to the open PF directory, and by name
// relative to the open parent directory. Each open is followed by its close.
//   B=/dev/shm/sriov-apply-bench-1234567890/node/sys; mkdir -p $B/bus/pci/devices $B/devices/pci0000:00
//   for i in $(seq 0 511); do a=$(printf '0000:10:%02x.%x' $((i/8)) $((i%8))); mkdir $B/devices/pci0000:00/$a
//     ln -s ../../../devices/pci0000:00/$a $B/bus/pci/devices/$a; done
//   P=$B/devices/pci0000:00/0000:10:00.0; for i in $(seq 1 64); do
//     ln -s ../$(printf '0000:10:%02x.%x' $((i/8)) $((i%8))) $P/virtfn$((i-1)); done
//   gcc -O2 -o /tmp/v vf-dir-open-paths.c && /tmp/v $B
#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e9+t.tv_nsec;}
int main(int c,char**v){const char*B=v[1];int R=2000;char p[512];
double t=now();for(int r=0;r<R;r++)for(int i=1;i<=64;i++){snprintf(p,512,"%s/bus/pci/devices/0000:10:%02x.%x",B,i/8,i%8);int f=open(p,O_RDONLY|O_DIRECTORY);close(f);}printf("full path %.2f us\n",(now()-t)/R/64/1e3);
snprintf(p,512,"%s/bus/pci/devices",B);int bfd=open(p,O_RDONLY|O_DIRECTORY);
t=now();for(int r=0;r<R;r++)for(int i=1;i<=64;i++){snprintf(p,512,"0000:10:%02x.%x",i/8,i%8);int f=openat(bfd,p,O_RDONLY|O_DIRECTORY);close(f);}printf("bus-relative %.2f us\n",(now()-t)/R/64/1e3);
snprintf(p,512,"%s/devices/pci0000:00/0000:10:00.0",B);int pfd=open(p,O_RDONLY|O_DIRECTORY);
t=now();for(int r=0;r<R;r++)for(int i=0;i<64;i++){snprintf(p,512,"virtfn%d",i);int f=openat(pfd,p,O_RDONLY|O_DIRECTORY);close(f);}printf("pf-relative virtfnN %.2f us\n",(now()-t)/R/64/1e3);
snprintf(p,512,"%s/devices/pci0000:00",B);int dfd=open(p,O_RDONLY|O_DIRECTORY);
t=now();for(int r=0;r<R;r++)for(int i=1;i<=64;i++){snprintf(p,512,"0000:10:%02x.%x",i/8,i%8);int f=openat(dfd,p,O_RDONLY|O_DIRECTORY);close(f);}printf("parent-relative %.2f us\n",(now()-t)/R/64/1e3);
}
