// polyglot-cd-kube is one multi-call binary holding etcd and the Kubernetes components that
// test/kube runs (see test/kube/README.md): one link instead of seven, shared code compiled once.
//
// It dispatches on the base name of argv[0], so symlinks named after a component work:
//
//	kube-apiserver --etcd-servers=...      (a symlink kube-apiserver -> polyglot-cd-kube)
//	polyglot-cd-kube kube-apiserver ...    (the component as the first argument)
//
// Built by scripts/setup/kube.sh, which sets the version variables with -ldflags -X.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	_ "time/tzdata" // CronJob time zones (kube-apiserver, kube-controller-manager)

	"go.etcd.io/etcd/server/v3/etcdmain"
	_ "k8s.io/client-go/plugin/pkg/client/auth" // kubectl's client auth plugins
	"k8s.io/component-base/cli"
	"k8s.io/component-base/logs"
	_ "k8s.io/component-base/logs/json/register"          // --logging-format=json
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // the version metric
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
)

const self = "polyglot-cd-kube"

// Each entry mirrors the component's own main package (k8s.io/kubernetes/cmd/<name>, etcd's main).
// os.Args is already shifted so that os.Args[0] is the component's name.
var components = map[string]func() int{
	"etcd": func() int {
		etcdmain.Main(os.Args) // exits by itself on error
		return 0
	},
	"kube-apiserver":          func() int { return cli.Run(apiserver.NewAPIServerCommand()) },
	"kube-controller-manager": func() int { return cli.Run(controllermanager.NewControllerManagerCommand()) },
	"kube-scheduler":          func() int { return cli.Run(scheduler.NewSchedulerCommand()) },
	"kubelet":                 func() int { return cli.Run(kubelet.NewKubeletCommand(context.Background())) },
	"kube-proxy":              func() int { return cli.Run(proxy.NewProxyCommand()) },
	"kubectl": func() int {
		// As cmd/kubectl: verbosity first, so klog works while the command tree is built (.kuberc, plugins).
		logs.GlogSetter(kubectlcmd.GetLogVerbosity(os.Args)) //nolint:errcheck
		if err := cli.RunNoErrOutput(kubectlcmd.NewDefaultKubectlCommand()); err != nil {
			kubectlutil.CheckErr(err)
		}
		return 0
	},
}

func names() []string {
	n := make([]string, 0, len(components))
	for k := range components {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func usage() {
	fmt.Fprintf(os.Stderr, "usage: %s <component> [flags...]   (or a symlink named after the component)\ncomponents: %s\n",
		self, strings.Join(names(), ", "))
}

func main() {
	name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	if _, ok := components[name]; !ok {
		// Called as polyglot-cd-kube (or any other name): the component is the first argument.
		if len(os.Args) < 2 {
			usage()
			os.Exit(2)
		}
		switch os.Args[1] {
		case "-h", "--help", "help":
			usage()
			os.Exit(0)
		}
		name = os.Args[1]
		if _, ok := components[name]; !ok {
			fmt.Fprintf(os.Stderr, "%s: unknown component %q\n", self, name)
			usage()
			os.Exit(2)
		}
		os.Args = os.Args[1:]
	}
	os.Exit(components[name]())
}
