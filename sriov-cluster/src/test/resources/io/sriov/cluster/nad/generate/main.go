// Generates golden data for sriov-cluster's NAD renderer tests from upstream's own templates
// (bindata/manifests/cni-config of k8snetworkplumbingwg/sriov-network-operator) and Go's
// encoding/json Indent. Usage (Go 1.19, no module needed):
//
//	git -C <sriov-network-operator> show HEAD:bindata/manifests/cni-config/sriov/sriov-cni-config.yaml > tpl/sriov/sriov-cni-config.yaml
//	git -C <sriov-network-operator> show HEAD:bindata/manifests/cni-config/ovs/ovs-cni-config.yaml > tpl/ovs/ovs-cni-config.yaml
//	GO111MODULE=off go run main.go tpl <out dir>
//
// Upstream commit used: 249e20012faf17b4f38057f29608bde2b21c5c9a. full-*.template-output.yaml go
// to sriov-cluster's src/test/resources/io/sriov/cluster/nad; indent-cases.{txt,golden} (the
// inputs are written by hand first) to sriov-core's src/test/resources/io/sriov/core/json.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/template"
)

func render(tmpl string, data map[string]interface{}) string {
	t := template.Must(template.New("t").Option("missingkey=error").Parse(tmpl))
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		panic(err)
	}
	return b.String()
}

func main() {
	dir, out := os.Args[1], os.Args[2]
	sriov, _ := os.ReadFile(filepath.Join(dir, "sriov", "sriov-cni-config.yaml"))
	ovs, _ := os.ReadFile(filepath.Join(dir, "ovs", "ovs-cni-config.yaml"))
	// A SriovNetwork with every field set (helper.go RenderNetAttDef's data for it).
	full := map[string]interface{}{
		"CniType": "sriov", "SriovNetworkName": "full", "SriovNetworkNamespace": "apps",
		"Owner": "SriovNetwork.sriovnetwork.openshift.io/sriov-network-operator/full",
		"SriovCniResourceName": "openshift.io/intel_sriov_netdevice",
		"SriovCniVlan": 100, "VlanQoSConfigured": true, "SriovCniVlanQoS": 3,
		"VlanProtoConfigured": true, "SriovCniVlanProto": "802.1ad",
		"CapabilitiesConfigured": true, "SriovCniCapabilities": `{ "mac": true, "ips": true }`,
		"SpoofChkConfigured": true, "SriovCniSpoofChk": "on",
		"TrustConfigured": true, "SriovCniTrust": "off",
		"StateConfigured": true, "SriovCniState": "enable",
		"MinTxRateConfigured": true, "SriovCniMinTxRate": 100,
		"MaxTxRateConfigured": true, "SriovCniMaxTxRate": 1000,
		"SriovCniIpam": `"ipam":{"type":"host-local","subnet":"10.56.217.0/24","routes":[{"dst":"0.0.0.0/0"}],"gateway":"10.56.217.1"}`,
		"MetaPluginsConfigured": true, "MetaPlugins": `{ "type": "tuning", "sysctl": { "net.ipv4.conf.IFNAME.arp_notify": "1" } }`,
		"LogLevelConfigured": true, "LogLevel": "debug", "LogFileConfigured": true, "LogFile": "/var/log/sriov-cni.log",
	}
	ib := map[string]interface{}{
		"CniType": "ib-sriov", "SriovNetworkName": "ib", "SriovNetworkNamespace": "apps",
		"Owner": "SriovIBNetwork.sriovnetwork.openshift.io/apps/ib",
		"SriovCniResourceName": "openshift.io/mlnx_ib", "StateConfigured": true, "SriovCniState": "auto",
		"CapabilitiesConfigured": true, "SriovCniCapabilities": `{"infinibandGUID": true}`,
		"SriovCniIpam": `"ipam":{"type":"whereabouts","range":"192.168.5.0/24"}`,
		"MetaPluginsConfigured": false, "LogLevelConfigured": false, "LogFileConfigured": false,
	}
	ovsFull := map[string]interface{}{
		"CniType": "ovs", "NetworkName": "ovs", "NetworkNamespace": "apps",
		"Owner": "OVSNetwork.sriovnetwork.openshift.io/apps/ovs", "CniResourceName": "openshift.io/switchdev",
		"CapabilitiesConfigured": false, "Bridge": "br-0000_d8_00.0", "VlanTag": 20, "MTU": 9000,
		"Trunk": `[{"minID":100,"maxID":200},{"id":300}]`, "InterfaceType": "dpdk",
		"CniIpam": `"ipam":{}`, "MetaPluginsConfigured": true, "MetaPlugins": `{"type":"vrf","vrfname":"red"}`,
	}
	os.WriteFile(filepath.Join(out, "full-sriov.template-output.yaml"), []byte(render(string(sriov), full)), 0644)
	os.WriteFile(filepath.Join(out, "full-ib.template-output.yaml"), []byte(render(string(sriov), ib)), 0644)
	os.WriteFile(filepath.Join(out, "full-ovs.template-output.yaml"), []byte(render(string(ovs), ovsFull)), 0644)

	// json.Indent(dst, src, "", "    "), as controllers/helper.go formatJSON; one case per line of
	// indent-cases.txt, answers (or the error) in indent-cases.golden, separated by a line "----".
	cases, _ := os.ReadFile(filepath.Join(out, "indent-cases.txt"))
	var golden bytes.Buffer
	for _, line := range bytes.Split(bytes.TrimRight(cases, "\n"), []byte("\n")) {
		src, err := unquote(line)
		if err != nil {
			panic(err)
		}
		var dst bytes.Buffer
		if err := json.Indent(&dst, src, "", "    "); err != nil {
			fmt.Fprintf(&golden, "ERROR %s\n----\n", err)
		} else {
			fmt.Fprintf(&golden, "%s\n----\n", dst.String())
		}
	}
	os.WriteFile(filepath.Join(out, "indent-cases.golden"), golden.Bytes(), 0644)
}

// Each case line is a JSON string literal (so cases can hold newlines and tabs).
func unquote(line []byte) ([]byte, error) {
	var s string
	err := json.Unmarshal(line, &s)
	return []byte(s), err
}
