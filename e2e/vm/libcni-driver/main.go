// libcni-driver: a CNI runtime in miniature, built on libcni (Debian's golang-github-appc-cni-dev,
// libcni 1.1.2) the way Multus uses it, so a plugin can be tested against the real client library
// instead of our own calls. It runs one conflist command and prints ADD's result on stdout.
//
//	libcni-driver [flags] ADD|CHECK|DEL <conflist file> <container id> <netns path> <ifname>
//
// -args "K=V;K=V" becomes CNI_ARGS (Multus: IgnoreUnknown=true;K8S_POD_NAMESPACE=...), -caps is a
// JSON object of capability args (mac, ips, deviceID: libcni passes each one only to plugins that
// declare the capability, under runtimeConfig), -device puts deviceID into every plugin's netconf
// as Multus does with the device plugin's allocation. CHECK and DEL read ADD's cached result from
// -cache (libcni's own cache, as a runtime keeps it) and pass it as prevResult.
// Build: e2e/vm/libcni-driver/build.sh (GOPATH mode, offline).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/containernetworking/cni/libcni"
)

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "libcni-driver: "+format+"\n", a...)
	os.Exit(1)
}

func main() {
	path := flag.String("path", "/usr/lib/cni", "plugin directories, colon-separated (CNI_PATH)")
	cache := flag.String("cache", "/var/lib/cni/libcni-driver", "libcni's result cache directory")
	args := flag.String("args", "", "CNI_ARGS as K=V pairs separated by ';'")
	caps := flag.String("caps", "{}", "capability args, a JSON object (mac, ips, deviceID, ...)")
	device := flag.String("device", "", "deviceID to put into every plugin's netconf (Multus)")
	flag.Parse()
	if flag.NArg() != 5 {
		fail("usage: libcni-driver [flags] ADD|CHECK|DEL <conflist> <container id> <netns> <ifname>")
	}
	cmd, file := flag.Arg(0), flag.Arg(1)
	list, err := libcni.ConfListFromFile(file)
	if err != nil {
		fail("%s: %v", file, err)
	}
	if *device != "" {
		for i, plugin := range list.Plugins {
			injected, err := libcni.InjectConf(plugin, map[string]interface{}{"deviceID": *device})
			if err != nil {
				fail("deviceID into %s: %v", plugin.Network.Type, err)
			}
			list.Plugins[i] = injected
		}
	}
	rt := &libcni.RuntimeConf{ContainerID: flag.Arg(2), NetNS: flag.Arg(3), IfName: flag.Arg(4)}
	if err := json.Unmarshal([]byte(*caps), &rt.CapabilityArgs); err != nil {
		fail("-caps %q: %v", *caps, err)
	}
	for _, pair := range strings.Split(*args, ";") {
		if pair == "" {
			continue
		}
		kv := strings.SplitN(pair, "=", 2)
		if len(kv) != 2 {
			fail("-args: %q is not K=V", pair)
		}
		rt.Args = append(rt.Args, [2]string{kv[0], kv[1]})
	}
	cni := libcni.NewCNIConfigWithCacheDir(strings.Split(*path, ":"), *cache, nil)
	ctx := context.Background()
	switch cmd {
	case "ADD":
		result, err := cni.AddNetworkList(ctx, list, rt)
		if err != nil {
			fail("ADD: %v", err)
		}
		if err := result.Print(); err != nil {
			fail("ADD result: %v", err)
		}
	case "CHECK":
		err = cni.CheckNetworkList(ctx, list, rt)
	case "DEL":
		err = cni.DelNetworkList(ctx, list, rt)
	default:
		fail("unknown command %q (ADD, CHECK or DEL)", cmd)
	}
	if err != nil {
		fail("%s: %v", cmd, err)
	}
}
