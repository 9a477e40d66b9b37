// Per-device cost on real sysfs: three failed openat probes (acpi_index, uio, infiniband)
// against one listing of the (already open) device directory (lseek + getdents64 until 0).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  int fd=open(argv[1],O_RDONLY|O_DIRECTORY); if(fd<0){perror("open");return 1;}
  int n=atoi(argv[2]); static char buf[65536];
  for(int round=0;round<3;round++){
    double t0=now();
    for(int i=0;i<n;i++){ if(openat(fd,"acpi_index",O_RDONLY)>=0||openat(fd,"uio",O_RDONLY|O_DIRECTORY)>=0||openat(fd,"infiniband",O_RDONLY|O_DIRECTORY)>=0) return 2; }
    double t1=now();
    long ents=0;
    for(int i=0;i<n;i++){ lseek(fd,0,SEEK_SET); long r; while((r=syscall(SYS_getdents64,fd,buf,sizeof buf))>0) ents+=r; }
    double t2=now();
    printf("3 failed openat: %.2f us/device   listing (getdents64 to 0): %.2f us/device (%ld bytes/listing)\n",(t1-t0)/n*1e6,(t2-t1)/n*1e6,ents/n);
  }
  return 0;
}
