#pragma once
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace netsep::cli {

// `netsep apply`: argument parsing only; the work is compiler/deploy.
struct ApplyArgs {
    std::string path;
    std::string firewall, backend, netns, comment;
    std::string stateDir;
    std::optional<unsigned> confirmWithin;
    bool confirm = false, rollback = false, status = false, force = false;
    std::string timerToken; // hidden: the detached confirm timer
    int timerReadyFd = -1;
};

CLI::App* addApplyCommand(CLI::App& app, ApplyArgs& args);
int runApply(const ApplyArgs& args);

} // namespace netsep::cli
