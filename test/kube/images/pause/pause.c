/* The pod sandbox ("pause") process of the test node (test/kube/node.ts): PID 1 of every pod.
 * It holds the pod's namespaces open, reaps zombies (children re-parented to it when the pod
 * shares its PID namespace) and exits on SIGINT/SIGTERM. Built with `gcc -static`, see Containerfile.
 * `pause -v` prints the version and exits. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0) {
    puts("polyglot-cd-pause 1");
    return 0;
  }
  if (getpid() != 1) fputs("pause: warning: not PID 1\n", stderr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGCHLD);
  /* Blocked signals stay pending until sigwait() takes them: no handler, no race. */
  sigprocmask(SIG_BLOCK, &set, NULL);
  for (;;) {
    int sig;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGCHLD) {
      while (waitpid(-1, NULL, WNOHANG) > 0) {
      }
      continue;
    }
    fprintf(stderr, "pause: signal %d, exiting\n", sig);
    return 0;
  }
}
