package pluginlog

import (
	"os"
	"testing"
)

// Without a level asked for, every logger of the process is off: the plugin
// SDK's, and the provider's own, which the plugin SDK sets from
// TF_LOG_PROVIDER_<NAME> alone.
func TestQuietByDefault(t *testing.T) {
	for _, v := range levelVars {
		t.Setenv(v, "")
	}
	QuietByDefault()
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER_BUTTERFLYMX"} {
		if got := os.Getenv(v); got != "OFF" {
			t.Errorf("%s = %q, want OFF", v, got)
		}
	}
}

// A level asked for keeps the usual behaviour.
func TestQuietByDefaultKeepsAskedLevels(t *testing.T) {
	for _, v := range levelVars {
		t.Setenv(v, "")
	}
	t.Setenv("TF_LOG", "DEBUG")
	QuietByDefault()
	if got := os.Getenv("TF_LOG_PROVIDER_BUTTERFLYMX"); got != "" {
		t.Errorf("TF_LOG_PROVIDER_BUTTERFLYMX = %q with TF_LOG set, want it untouched", got)
	}
}
