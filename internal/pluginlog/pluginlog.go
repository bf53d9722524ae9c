// Package pluginlog sets the default log levels of a provider process, for
// the provider and for the benchmark's no-op provider alike, so that the two
// cost the same for the same framework work.
package pluginlog

import "os"

// levelVars are the variables that ask Terraform, OpenTofu or
// terraform-plugin-log for provider logs.
var levelVars = []string{
	"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_BUTTERFLYMX", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO",
}

// QuietByDefault turns the plugin SDK's logs off when no log level was
// asked for. Without a level, terraform-plugin-log writes every trace line
// of the framework as JSON to stderr, and the CLI, which shows provider logs
// only when TF_LOG or TF_LOG_PROVIDER is set, parses and drops each one: a
// third of the provider's CPU in a plan of 500 access codes (make bench,
// BENCH_PROFILE=1). Setting any of the level variables keeps the usual
// behaviour.
func QuietByDefault() {
	for _, v := range levelVars {
		if os.Getenv(v) != "" {
			return
		}
	}
	// The provider's own logger (tflog) reads only TF_LOG_PROVIDER_<NAME>,
	// not TF_LOG_PROVIDER.
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_BUTTERFLYMX"} {
		_ = os.Setenv(v, "OFF")
	}
}
