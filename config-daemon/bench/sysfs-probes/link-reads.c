// Link reads on real sysfs: readlink of the full /sys/bus/pci/devices/<a>/<link> path (what the
// JDK's readSymbolicLink does) against readlinkat relative to the open device directory, and
// against open + readlinkat + close (a descriptor-relative read of one lone link).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  char full[512]; snprintf(full,sizeof full,"%s/%s",argv[1],argv[2]);
  int n=atoi(argv[3]); char buf[4096];
  int fd=open(argv[1],O_RDONLY|O_DIRECTORY); if(fd<0){perror("open");return 1;}
  for(int round=0;round<3;round++){
    double t0=now();
    for(int i=0;i<n;i++) if(readlink(full,buf,sizeof buf)<0) return 2;
    double t1=now();
    for(int i=0;i<n;i++) if(readlinkat(fd,argv[2],buf,sizeof buf)<0) return 3;
    double t2=now();
    for(int i=0;i<n;i++){int d=open(argv[1],O_RDONLY|O_DIRECTORY); if(readlinkat(d,argv[2],buf,sizeof buf)<0) return 4; close(d);}
    double t3=now();
    printf("readlink full path: %.2f us   readlinkat(dirfd): %.2f us   open+readlinkat+close: %.2f us\n",(t1-t0)/n*1e6,(t2-t1)/n*1e6,(t3-t2)/n*1e6);
  }
  return 0;
}
