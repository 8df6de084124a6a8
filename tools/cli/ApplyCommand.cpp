#include "ApplyCommand.hpp"

#include "deploy/Applier.hpp"
#include "deploy/Artifact.hpp"

#include <unistd.h>

#include <climits>
#include <iostream>

namespace netsep::cli {

namespace {

constexpr int kUsage = 2;

int usage(const std::string& msg) {
    std::cerr << "netsep: error: " << msg << "\n";
    return kUsage;
}

std::string selfPath() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

} // namespace

CLI::App* addApplyCommand(CLI::App& app, ApplyArgs& a) {
    auto* cmd = app.add_subcommand(
        "apply", "load a compiled ruleset (nftables, iptables) with rollback and confirmation");
    cmd->add_option("path", a.path,
                    "compile output directory, firewall directory, or artifact file");
    cmd->add_option("--firewall", a.firewall, "the firewall (when PATH holds several)");
    cmd->add_option("--backend", a.backend, "nftables or iptables (when both were compiled)")
        ->check(CLI::IsMember({"nftables", "iptables"}));
    cmd->add_option("--netns", a.netns, "apply inside this network namespace (ip netns)");
    cmd->add_option("--state-dir", a.stateDir,
                    std::string("state and log root (default ") + deploy::kDefaultStateRoot + ")");
    cmd->add_option("--confirm-within", a.confirmWithin,
                    "roll back by itself unless `netsep apply --confirm` comes within SECONDS")
        ->check(CLI::Range(1u, 86400u));
    cmd->add_flag("--confirm", a.confirm, "keep the change that awaits confirmation");
    cmd->add_flag("--rollback", a.rollback, "restore what the last apply replaced");
    cmd->add_flag("--status", a.status, "show what is live, pending and drifted");
    cmd->add_flag("--force", a.force,
                  "apply over drift, a quarantine in force or an artifact of another compile");
    cmd->add_option("--comment", a.comment, "recorded in the apply log (ticket, reason)");
    // The detached confirm timer started by `apply --confirm-within`.
    cmd->add_option("--confirm-timer", a.timerToken)->group("");
    cmd->add_option("--timer-ready-fd", a.timerReadyFd)->group("");
    return cmd;
}

int runApply(const ApplyArgs& a) {
    int modes = !a.path.empty() + a.confirm + a.rollback + a.status + !a.timerToken.empty();
    if (modes != 1)
        return usage("apply needs exactly one of PATH, --confirm, --rollback or --status");
    if (a.confirmWithin && a.path.empty())
        return usage("--confirm-within goes with PATH (the change to apply)");
    if (a.force && a.path.empty())
        return usage("--force goes with PATH (the change to apply)");

    deploy::ApplyTarget target;
    if (!a.stateDir.empty())
        target.stateRoot = a.stateDir;
    if (!a.netns.empty()) {
        std::string error;
        auto scope = deploy::NetScope::netns(a.netns, error);
        if (!scope)
            return usage(error);
        target.scope = *scope;
    }
    target.firewall = a.firewall;
    if (!a.backend.empty())
        target.backend = deploy::parseBackend(a.backend);

    if (!a.timerToken.empty())
        return deploy::runConfirmTimer(target, a.timerToken, a.timerReadyFd);
    if (a.confirm)
        return deploy::confirmChange(target, a.comment, std::cerr);
    if (a.rollback)
        return deploy::rollbackChange(target, a.comment, std::cerr);
    if (a.status)
        return deploy::showStatus(target, std::cout);

    std::string error;
    auto artifact = deploy::readArtifact(a.path, a.firewall, target.backend, error);
    if (!artifact)
        return usage(error);
    deploy::ApplyOptions opt;
    opt.confirmWithin = a.confirmWithin;
    opt.force = a.force;
    opt.comment = a.comment;
    opt.self = selfPath();
    if (opt.confirmWithin && opt.self.empty())
        return usage("cannot find this netsep executable (/proc/self/exe) for the confirm timer");
    return deploy::applyArtifact(*artifact, target, opt, std::cerr);
}

} // namespace netsep::cli
