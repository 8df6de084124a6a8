#pragma once
#include "deploy/NetScope.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace netsep::deploy {

// What one run of an external tool (nft, iptables-restore, diff) gave.
struct ToolResult {
    int exitCode = -1; // -1: not started, killed by a signal, or timed out
    std::string out, err;
    std::string failure;   // why it did not run to an exit code ("" otherwise)
    bool notFound = false; // the tool is not installed (not in PATH)
    bool ok() const { return exitCode == 0; }
    // "`nft -f FILE` exited 1: Error: ..." for messages.
    std::string describe(const std::vector<std::string>& argv) const;
};

// Runs argv[0] (looked up in PATH) with exactly these arguments: fork and
// execvp, no shell, so nothing in an argument or in `input` is ever
// interpreted as a command. `input` is the child's standard input; its
// output and errors are captured. Inside `scope` when it is a network
// namespace (setns in the child, before exec). The child is killed after
// `timeoutMs`.
ToolResult runTool(const std::vector<std::string>& argv, const NetScope& scope,
                   std::string_view input = {}, int timeoutMs = 120000);

} // namespace netsep::deploy
