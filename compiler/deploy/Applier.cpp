#include "deploy/Applier.hpp"

#include "deploy/ApplyLog.hpp"
#include "deploy/Detached.hpp"
#include "deploy/FileLock.hpp"
#include "deploy/LiveRuleset.hpp"
#include "deploy/TextDiff.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace netsep::deploy {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr const char* kApplied = "applied.snapshot";
constexpr const char* kAppliedMeta = "applied.json";
constexpr const char* kSaved = "saved.snapshot";
constexpr const char* kSavedMeta = "saved.json";
constexpr const char* kPending = "pending.json";
// How long confirm and rollback wait for a running apply or timer.
constexpr int kLockWaitMs = 30000;

std::string shortDigest(const std::string& d) {
    // "sha256:0123456789ab" - enough to tell versions apart in a message.
    return d.size() > 19 ? d.substr(0, 19) : (d.empty() ? "no digest" : d);
}

json parseJson(const std::optional<std::string>& text) {
    if (!text)
        return json();
    json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    return j.is_discarded() ? json() : j;
}

std::string str(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    return j[key].get<std::string>();
}

// The member `key` of an object; null for anything else (never throws).
json field(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key))
        return json();
    return j[key];
}

long long num(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number_integer())
        return 0;
    return j[key].get<long long>();
}

std::string randomToken() {
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n > 0)
            got += static_cast<size_t>(n);
    }
    std::string out;
    for (unsigned char c : b)
        out += fmt::format("{:02x}", c);
    return out;
}

json operatorJson(const Operator& op) {
    json j;
    j["user"] = op.user;
    if (!op.sudoUser.empty())
        j["sudo_user"] = op.sudoUser;
    return j;
}

// The command line that addresses this state again, for messages.
std::string stateArgs(const StateStore& s, const std::string& root) {
    std::string a =
        fmt::format("--firewall {} --backend {}", s.firewall(), backendName(s.backend()));
    if (!s.scope().isHost())
        a += " --netns " + s.scope().netnsName();
    if (root != kDefaultStateRoot)
        a += " --state-dir " + root;
    return a;
}

json baseEntry(const StateStore& s, const char* action) {
    json e;
    e["action"] = action;
    e["firewall"] = s.firewall();
    e["backend"] = backendName(s.backend());
    e["scope"] = s.scope().logName();
    return e;
}

json artifactJson(const Artifact& a) {
    json j;
    j["kind"] = kindName(a.kind);
    j["policy"] = a.policy;
    j["policy_digest"] = a.policyDigest;
    json files = json::array();
    for (const auto& f : a.files)
        files.push_back(json{{"path", f.path}, {"sha256", f.sha256}});
    j["files"] = files;
    if (!a.group.empty())
        j["group"] = a.group;
    if (!a.summary.empty())
        j["quarantine"] = a.summary;
    return j;
}

void log(const StateStore& s, json entry, std::ostream& out) {
    if (std::string e = appendLog(s.logPath(), entry); !e.empty())
        out << "netsep: warning: could not write the apply log: " << e << "\n";
}

struct Pending {
    std::string token;
    long long deadlineMs = 0;
    json raw;
};

std::optional<Pending> readPending(const StateStore& s) {
    std::string error;
    json j = parseJson(s.read(kPending, error));
    if (!j.is_object())
        return std::nullopt;
    return Pending{str(j, "token"), num(j, "deadline_ms"), j};
}

bool timerAlive(const StateStore& s) {
    return FileLock::heldElsewhere(s.timerLockPath());
}

std::string secondsText(long long ms) {
    return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
}

std::string describePending(const Pending& p) {
    json a = field(p.raw, "artifact");
    return fmt::format("a {} change (policy {}, {}) applied at {} by {}", str(a, "kind"),
                       str(a, "policy"), shortDigest(str(a, "policy_digest")),
                       str(p.raw, "applied_at"), str(field(p.raw, "by"), "user"));
}

// States of the scope that match the target's firewall/backend filters.
std::vector<StateStore> findStates(const ApplyTarget& t) {
    std::vector<StateStore> out;
    fs::path scopeDir = fs::path(t.stateRoot) / t.scope.stateSegment();
    std::error_code ec;
    std::vector<std::string> fws;
    if (!t.firewall.empty())
        fws.push_back(t.firewall);
    else
        for (const auto& e : fs::directory_iterator(scopeDir, ec))
            if (e.is_directory())
                fws.push_back(e.path().filename().string());
    std::sort(fws.begin(), fws.end());
    for (const auto& fw : fws)
        for (RulesetBackend b : {RulesetBackend::Nftables, RulesetBackend::Iptables}) {
            if (t.backend && *t.backend != b)
                continue;
            StateStore s(t.stateRoot, t.scope, fw, b);
            if (fs::exists(fs::path(s.dir()) / kAppliedMeta, ec) ||
                fs::exists(fs::path(s.dir()) / kSaved, ec) ||
                fs::exists(fs::path(s.dir()) / kPending, ec))
                out.push_back(std::move(s));
        }
    return out;
}

// The one state `what` applies to (confirm, rollback), or an error message.
std::optional<StateStore> oneState(const ApplyTarget& t, const char* file, const char* what,
                                   std::string& error) {
    std::vector<StateStore> found;
    std::error_code ec;
    for (auto& s : findStates(t))
        if (fs::exists(fs::path(s.dir()) / file, ec))
            found.push_back(std::move(s));
    if (found.size() == 1)
        return std::move(found.front());
    if (found.empty()) {
        error = fmt::format("nothing to {} for {}{}{} in {} (state under {})", what,
                            t.firewall.empty() ? "any firewall" : "firewall " + t.firewall,
                            t.backend ? std::string(" (") + backendName(*t.backend) + ")" : "", "",
                            t.scope.describe(), t.stateRoot);
        return std::nullopt;
    }
    error = fmt::format("several states could be meant; say --firewall and --backend:");
    for (const auto& s : found)
        error += fmt::format(" {}/{}", s.firewall(), backendName(s.backend()));
    return std::nullopt;
}

// The last log entry of this state's backend, for "what happened" hints.
json lastLogEntry(const StateStore& s) {
    std::error_code ec;
    auto size = fs::file_size(s.logPath(), ec);
    if (ec)
        return json();
    std::ifstream in(s.logPath(), std::ios::binary);
    const std::uintmax_t tail = 65536;
    if (size > tail)
        in.seekg(static_cast<std::streamoff>(size - tail));
    std::string line;
    json last;
    while (std::getline(in, line)) {
        json j = json::parse(line, nullptr, false);
        if (j.is_object() && str(j, "backend") == backendName(s.backend()))
            last = j;
    }
    return last;
}

class RollbackRun {
public:
    RollbackRun(const StateStore& s, std::string action, json who, std::string comment,
                std::ostream& out)
        : s_(s), action_(std::move(action)), who_(std::move(who)), comment_(std::move(comment)),
          out_(out) {}

    int run() {
        json entry = baseEntry(s_, action_.c_str());
        entry["by"] = who_;
        if (!comment_.empty())
            entry["comment"] = comment_;
        std::string error;
        auto saved = s_.read(kSaved, error);
        if (!saved)
            return fail(entry,
                        error.empty() ? "no rollback point (nothing was applied since "
                                        "the last rollback)"
                                      : error,
                        kApplyRefused);
        json savedMeta = parseJson(s_.read(kSavedMeta, error));
        auto applied = s_.read(kApplied, error);
        json appliedMeta = parseJson(s_.read(kAppliedMeta, error));
        entry["restores"] = field(savedMeta, "artifact");
        entry["replaces"] = field(appliedMeta, "artifact");
        std::string anchor = str(appliedMeta, "anchor");
        if (anchor.empty())
            anchor = str(savedMeta, "anchor");
        auto ruleset = liveRuleset(s_.backend(), s_.scope(), anchor);
        for (const auto* snap : {&applied, &saved})
            if (*snap)
                if (std::string e = ruleset->claim(**snap); !e.empty())
                    return fail(entry, e, kApplyFailed);
        std::string live;
        if (!ruleset->read(live, error))
            return fail(entry, error, kApplyFailed);
        if (applied && live != *applied) {
            out_ << "netsep: warning: the live ruleset drifted from what netsep applied; the "
                    "rollback replaces it anyway:\n"
                 << unifiedDiff(*applied, live, "applied by netsep", "live now");
            entry["drift"] = true;
        }
        if (std::string e = ruleset->restore(*saved); !e.empty())
            return fail(entry, "restoring the rollback point failed: " + e, kApplyBroken);
        std::string after;
        if (!ruleset->read(after, error))
            return fail(entry, "rolled back, but reading the result failed: " + error,
                        kApplyBroken);
        if (after != *saved)
            return fail(entry,
                        "rolled back, but the live ruleset differs from the rollback point:\n" +
                            unifiedDiff(*saved, after, "rollback point", "live now"),
                        kApplyBroken);
        json meta = savedMeta.is_object() ? savedMeta : json::object();
        meta["restored_at"] = utcTimestamp(nowEpochMs());
        meta["restored_by"] = action_;
        if (str(meta, "anchor").empty())
            meta["anchor"] = ruleset->anchor();
        for (const auto& [name, content] :
             {std::pair<const char*, std::string>{kApplied, after}, {kAppliedMeta, meta.dump(2)}})
            if (std::string e = s_.write(name, content); !e.empty())
                return fail(entry, "rolled back, but recording it failed: " + e, kApplyBroken);
        for (const char* name : {kSaved, kSavedMeta, kPending})
            s_.remove(name);
        entry["result"] = "ok";
        log(s_, entry, out_);
        json restored = field(savedMeta, "artifact");
        out_ << fmt::format("netsep: {}: firewall {} ({}, {}) is back to {}\n", action_,
                            s_.firewall(), backendName(s_.backend()), s_.scope().describe(),
                            restored.is_object()
                                ? fmt::format("the {} of policy {} ({})", str(restored, "kind"),
                                              str(restored, "policy"),
                                              shortDigest(str(restored, "policy_digest")))
                                : std::string("what was live before netsep's first apply"));
        return kApplyDone;
    }

private:
    int fail(json& entry, const std::string& why, int code) {
        entry["result"] = code == kApplyRefused ? "refused" : "failed";
        entry["detail"] = why;
        log(s_, entry, out_);
        out_ << "netsep: " << action_ << (code == kApplyRefused ? " refused: " : " failed: ") << why
             << "\n";
        if (code == kApplyBroken)
            out_ << "netsep: the live ruleset is not known good: check it (`netsep apply "
                    "--status`) and restore by hand if needed\n";
        return code;
    }

    const StateStore& s_;
    std::string action_;
    json who_;
    std::string comment_;
    std::ostream& out_;
};

// Whether a snapshot holds netsep's own objects (its nft table, or one of
// its iptables chains), not just the host's FORWARD chain that an old-style
// config owns.
bool holdsNetsepChains(RulesetBackend b, const std::string& snapshot) {
    if (b == RulesetBackend::Nftables)
        return !snapshot.empty();
    for (std::size_t p = 0; (p = snapshot.find("\n:", p)) != std::string::npos; ++p)
        if (snapshot.compare(p, 10, "\n:FORWARD ") != 0)
            return true;
    return false;
}

std::string absoluteRoot(const std::string& root) {
    std::error_code ec;
    fs::path p = fs::absolute(root, ec);
    return ec ? root : p.lexically_normal().string();
}

} // namespace

int applyArtifact(const Artifact& artifact, const ApplyTarget& targetIn, const ApplyOptions& opt,
                  std::ostream& out) {
    ApplyTarget target = targetIn;
    target.stateRoot = absoluteRoot(target.stateRoot);
    const Operator op = currentOperator();
    StateStore s(target.stateRoot, target.scope, artifact.firewall, artifact.backend);
    json entry = baseEntry(s, "apply");
    entry["by"] = operatorJson(op);
    entry["artifact"] = artifactJson(artifact);
    if (opt.confirmWithin)
        entry["confirm_within"] = *opt.confirmWithin;
    if (opt.force)
        entry["force"] = true;
    if (!opt.comment.empty())
        entry["comment"] = opt.comment;

    if (std::string e = s.prepare(); !e.empty()) {
        out << "netsep: apply failed: state directory: " << e << "\n";
        return kApplyFailed;
    }
    auto finish = [&](const char* result, const std::string& why, int code) {
        entry["result"] = result;
        if (!why.empty())
            entry["detail"] = why;
        log(s, entry, out);
        if (!why.empty())
            out << "netsep: apply " << (code == kApplyRefused ? "refused" : "failed") << ": " << why
                << "\n";
        return code;
    };
    auto refuse = [&](const std::string& why) { return finish("refused", why, kApplyRefused); };

    FileLock lock;
    std::string error;
    if (!lock.acquire(s.lockPath(), 0, error))
        return refuse(error == "busy"
                          ? fmt::format("another netsep apply, confirm or rollback for firewall "
                                        "{} in {} is running",
                                        s.firewall(), s.scope().describe())
                          : error);

    if (auto p = readPending(s)) {
        long long left = p->deadlineMs - nowEpochMs();
        if (timerAlive(s))
            return refuse(fmt::format(
                "{} awaits confirmation until {} (in {}); confirm it (netsep apply --confirm {}) "
                "or roll it back (netsep apply --rollback {}) first",
                describePending(*p), str(p->raw, "deadline"), secondsText(std::max(0LL, left)),
                stateArgs(s, target.stateRoot), stateArgs(s, target.stateRoot)));
        return refuse(fmt::format(
            "{} awaited confirmation until {}, but its confirm timer is "
            "gone (killed, or the host restarted): roll it back "
            "(netsep apply --rollback {}) or, before the deadline, confirm it",
            describePending(*p), str(p->raw, "deadline"), stateArgs(s, target.stateRoot)));
    }

    auto applied = s.read(kApplied, error);
    json appliedMeta = parseJson(s.read(kAppliedMeta, error));
    if (!error.empty())
        return finish("failed", error, kApplyFailed);
    auto ruleset = liveRuleset(artifact.backend, target.scope, str(appliedMeta, "anchor"));
    if (applied)
        if (std::string e = ruleset->claim(*applied); !e.empty())
            return finish("failed", e, kApplyFailed);
    if (std::string e = ruleset->claim(artifact); !e.empty())
        return refuse(artifact.files.front().path + " " + e);
    std::string live;
    if (!ruleset->read(live, error))
        return finish("failed", error, kApplyFailed);

    // Drift: the live ruleset is not the one netsep applied last.
    std::string drift;
    if (applied && live != *applied)
        drift =
            unifiedDiff(*applied, live,
                        "applied by netsep (" + str(appliedMeta, "applied_at") + ")", "live now");
    else if (!applied && holdsNetsepChains(artifact.backend, live))
        drift = "netsep's table is live, but netsep apply has no record of loading it (state "
                "under " +
                target.stateRoot + ")\n";
    if (!drift.empty()) {
        entry["drift"] = true;
        if (!opt.force) {
            out << "netsep: the live netsep ruleset of firewall " << s.firewall() << " in "
                << s.scope().describe() << " is not the one netsep applied last:\n"
                << drift;
            return refuse("drift (shown above); find out who changed it, then re-apply with "
                          "--force to replace it, or roll back");
        }
        out << "netsep: warning: replacing a drifted ruleset (--force):\n" << drift;
    }

    // Partial artifacts belong to the compile that is live.
    json config = field(appliedMeta, "config");
    std::string liveDigest = str(config, "policy_digest");
    if (artifact.kind != ArtifactKind::Config) {
        if (!config.is_object() && !opt.force)
            return refuse(fmt::format("no compiled config was applied by netsep here; apply it "
                                      "first (the {} works on it), or --force",
                                      kindName(artifact.kind)));
        if (!liveDigest.empty() && !artifact.policyDigest.empty() &&
            liveDigest != artifact.policyDigest) {
            std::string why =
                fmt::format("{} was compiled from policy {}, but the live config from {}",
                            kindName(artifact.kind), shortDigest(artifact.policyDigest),
                            shortDigest(liveDigest));
            if (!opt.force)
                return refuse(why + "; recompile it from the live policy version, or --force");
            out << "netsep: warning: " << why << " (--force)\n";
        }
    }
    std::string quarantine = str(appliedMeta, "quarantine");
    if (artifact.kind == ArtifactKind::Config && !quarantine.empty()) {
        std::string why =
            "a quarantine is in force (" + quarantine + "); the compiled config would lift it";
        if (!opt.force)
            return refuse(why + ": release it first (apply its quarantine-release artifact), or "
                                "--force");
        out << "netsep: warning: " << why << " (--force)\n";
    }
    json disabled = field(appliedMeta, "killswitch_disabled");
    if (artifact.kind == ArtifactKind::Config && disabled.is_array() && !disabled.empty())
        out << "netsep: warning: kill-switch group(s) " << disabled.dump()
            << " were disabled with netsep apply; unless the policy marks them engaged, this "
               "config enables them again\n";

    // The rollback point: what this apply replaces.
    json savedMeta = appliedMeta.is_object() ? appliedMeta : json{{"recorded", false}};
    for (const auto& [name, content] :
         {std::pair<const char*, std::string>{kSaved, live}, {kSavedMeta, savedMeta.dump(2)}})
        if (std::string e = s.write(name, content); !e.empty())
            return finish("failed", "saving the rollback point: " + e, kApplyFailed);

    std::string token;
    json pending;
    if (opt.confirmWithin) {
        token = randomToken();
        const long long window = static_cast<long long>(*opt.confirmWithin) * 1000;
        pending["token"] = token;
        pending["confirm_within"] = *opt.confirmWithin;
        pending["applied_at"] = utcTimestamp(nowEpochMs());
        pending["by"] = operatorJson(op);
        pending["artifact"] = artifactJson(artifact);
        // Provisional; set again once the load is done.
        pending["deadline_ms"] = nowEpochMs() + window;
        pending["deadline"] = utcTimestamp(pending["deadline_ms"].get<long long>());
        if (std::string e = s.write(kPending, pending.dump(2)); !e.empty())
            return finish("failed", "recording the confirm window: " + e, kApplyFailed);
        std::vector<std::string> argv = {opt.self,           "apply",
                                         "--confirm-timer",  token,
                                         "--timer-ready-fd", "{ready-fd}",
                                         "--firewall",       s.firewall(),
                                         "--backend",        backendName(s.backend()),
                                         "--state-dir",      target.stateRoot};
        if (!target.scope.isHost()) {
            argv.push_back("--netns");
            argv.push_back(target.scope.netnsName());
        }
        pid_t pid = startDetached(argv, 10000, error);
        if (pid < 0) {
            s.remove(kPending);
            return finish("failed",
                          "could not start the confirm timer: " + error + "; nothing was applied",
                          kApplyFailed);
        }
        pending["timer_pid"] = pid;
        entry["timer_pid"] = pid;
    }

    if (std::string e = ruleset->load(artifact); !e.empty()) {
        s.remove(kPending);
        std::string now;
        std::string why = "the kernel refused the ruleset: " + e;
        if (!ruleset->read(now, error))
            return finish("failed", why + "; reading the live ruleset failed: " + error,
                          kApplyBroken);
        if (now != live) {
            if (std::string r = ruleset->restore(live); !r.empty())
                return finish("failed", why + "; putting the old ruleset back failed: " + r,
                              kApplyBroken);
            why += "; the old ruleset was put back";
        } else {
            why += "; nothing changed";
        }
        return finish("failed", why, kApplyFailed);
    }
    std::string after;
    if (!ruleset->read(after, error))
        return finish("failed", "loaded, but reading the result failed: " + error, kApplyBroken);

    json meta;
    meta["applied_at"] = utcTimestamp(nowEpochMs());
    meta["by"] = operatorJson(op);
    meta["artifact"] = artifactJson(artifact);
    meta["anchor"] = ruleset->anchor();
    meta["config"] = artifact.kind == ArtifactKind::Config
                         ? json{{"policy", artifact.policy},
                                {"policy_digest", artifact.policyDigest},
                                {"applied_at", meta["applied_at"]}}
                         : config;
    std::string q = quarantine;
    if (artifact.kind == ArtifactKind::Config || artifact.kind == ArtifactKind::Release)
        q.clear();
    if (artifact.kind == ArtifactKind::Quarantine)
        q = artifact.summary.empty() ? "yes" : artifact.summary;
    if (!q.empty())
        meta["quarantine"] = q;
    json groups =
        artifact.kind == ArtifactKind::Config || !disabled.is_array() ? json::array() : disabled;
    if (artifact.kind == ArtifactKind::KillSwitchDisable &&
        std::find(groups.begin(), groups.end(), artifact.group) == groups.end())
        groups.push_back(artifact.group);
    if (artifact.kind == ArtifactKind::KillSwitchEnable)
        groups.erase(std::remove(groups.begin(), groups.end(), artifact.group), groups.end());
    if (!groups.empty())
        meta["killswitch_disabled"] = groups;
    for (const auto& [name, content] :
         {std::pair<const char*, std::string>{kApplied, after}, {kAppliedMeta, meta.dump(2)}})
        if (std::string e = s.write(name, content); !e.empty())
            return finish("failed", "loaded, but recording it failed: " + e, kApplyBroken);

    std::string confirmHint;
    if (opt.confirmWithin) {
        pending["deadline_ms"] = nowEpochMs() + static_cast<long long>(*opt.confirmWithin) * 1000;
        pending["deadline"] = utcTimestamp(pending["deadline_ms"].get<long long>());
        if (std::string e = s.write(kPending, pending.dump(2)); !e.empty())
            out << "netsep: warning: could not move the confirm deadline after the load: " << e
                << "\n";
        entry["deadline"] = pending["deadline"];
        confirmHint = fmt::format(
            "netsep: confirm within {} s (until {}) or it is rolled back by itself:\n"
            "    netsep apply --confirm {}\n",
            *opt.confirmWithin, str(pending, "deadline"), stateArgs(s, target.stateRoot));
    }
    finish("ok", "", kApplyDone);
    out << fmt::format("netsep: applied the {} of policy {} ({}) to firewall {} ({}, {})\n",
                       kindName(artifact.kind), artifact.policy, shortDigest(artifact.policyDigest),
                       s.firewall(), backendName(s.backend()), s.scope().describe());
    out << fmt::format("netsep: rollback point saved (netsep apply --rollback {})\n",
                       stateArgs(s, target.stateRoot));
    out << confirmHint;
    return kApplyDone;
}

int confirmChange(const ApplyTarget& targetIn, const std::string& comment, std::ostream& out) {
    ApplyTarget target = targetIn;
    target.stateRoot = absoluteRoot(target.stateRoot);
    std::string error;
    auto found = oneState(target, kPending, "confirm", error);
    if (!found) {
        // Say what became of the last change, when there is one.
        if (!target.firewall.empty())
            for (const auto& s : findStates(target)) {
                json last = lastLogEntry(s);
                if (str(last, "action") == "auto-rollback")
                    error += fmt::format("; the last change of {} ({}) was rolled back by its "
                                         "confirm timer at {}",
                                         s.firewall(), backendName(s.backend()), str(last, "time"));
            }
        out << "netsep: confirm refused: " << error << "\n";
        return kApplyRefused;
    }
    const StateStore& s = *found;
    json entry = baseEntry(s, "confirm");
    entry["by"] = operatorJson(currentOperator());
    if (!comment.empty())
        entry["comment"] = comment;
    auto finish = [&](const char* result, const std::string& why, int code) {
        entry["result"] = result;
        if (!why.empty())
            entry["detail"] = why;
        log(s, entry, out);
        if (!why.empty())
            out << "netsep: confirm " << (code == kApplyRefused ? "refused" : "failed") << ": "
                << why << "\n";
        return code;
    };
    FileLock lock;
    if (!lock.acquire(s.lockPath(), kLockWaitMs, error))
        return finish("refused",
                      error == "busy" ? "the state stays locked by another netsep "
                                        "command; try again"
                                      : error,
                      error == "busy" ? kApplyRefused : kApplyFailed);
    auto p = readPending(s);
    if (!p) {
        json last = lastLogEntry(s);
        return finish("refused",
                      "nothing awaits confirmation" +
                          (str(last, "action") == "auto-rollback"
                               ? " (the change was rolled back by its confirm timer at " +
                                     str(last, "time") + ")"
                               : std::string()),
                      kApplyRefused);
    }
    entry["artifact"] = field(p->raw, "artifact");
    long long now = nowEpochMs();
    if (now >= p->deadlineMs)
        return finish("refused",
                      fmt::format("too late: the confirm window closed at {}; {}",
                                  str(p->raw, "deadline"),
                                  timerAlive(s) ? "the change is being rolled back"
                                                : "its timer is gone: roll it back with "
                                                  "netsep apply --rollback " +
                                                      stateArgs(s, target.stateRoot)),
                      kApplyRefused);
    if (std::string e = s.remove(kPending); !e.empty())
        return finish("failed", e, kApplyFailed);
    entry["confirmed_before_deadline_ms"] = p->deadlineMs - now;
    finish("ok", "", kApplyDone);
    out << fmt::format("netsep: confirmed {} on firewall {} ({}, {}); it stays ({} before the "
                       "deadline)\n",
                       describePending(*p), s.firewall(), backendName(s.backend()),
                       s.scope().describe(), secondsText(p->deadlineMs - now));
    return kApplyDone;
}

int rollbackChange(const ApplyTarget& targetIn, const std::string& comment, std::ostream& out) {
    ApplyTarget target = targetIn;
    target.stateRoot = absoluteRoot(target.stateRoot);
    std::string error;
    auto s = oneState(target, kSaved, "roll back", error);
    if (!s) {
        out << "netsep: rollback refused: " << error << "\n";
        return kApplyRefused;
    }
    if (std::string e = s->prepare(); !e.empty()) {
        out << "netsep: rollback failed: " << e << "\n";
        return kApplyFailed;
    }
    FileLock lock;
    if (!lock.acquire(s->lockPath(), kLockWaitMs, error)) {
        out << "netsep: rollback refused: "
            << (error == "busy" ? "the state stays locked by another netsep command" : error)
            << "\n";
        return kApplyRefused;
    }
    return RollbackRun(*s, "rollback", operatorJson(currentOperator()), comment, out).run();
}

int showStatus(const ApplyTarget& targetIn, std::ostream& out) {
    ApplyTarget target = targetIn;
    target.stateRoot = absoluteRoot(target.stateRoot);
    auto states = findStates(target);
    if (states.empty()) {
        out << "netsep: no apply state for "
            << (target.firewall.empty() ? "any firewall" : target.firewall) << " in "
            << target.scope.describe() << " (under " << target.stateRoot << ")\n";
        return kApplyDone;
    }
    int rc = kApplyDone;
    for (const auto& s : states) {
        std::string error;
        auto applied = s.read(kApplied, error);
        json meta = parseJson(s.read(kAppliedMeta, error));
        json art = field(meta, "artifact");
        out << fmt::format("{} ({}, {}), state {}\n", s.firewall(), backendName(s.backend()),
                           s.scope().describe(), s.dir());
        if (art.is_object())
            out << fmt::format(
                "  live: the {} of policy {} ({}), applied {} by {}{}\n", str(art, "kind"),
                str(art, "policy"), shortDigest(str(art, "policy_digest")), str(meta, "applied_at"),
                str(field(meta, "by"), "user"),
                meta.contains("restored_at") ? ", restored by " + str(meta, "restored_by") +
                                                   " at " + str(meta, "restored_at")
                                             : "");
        else if (meta.is_object())
            out << "  live: what was there before netsep's first apply (rolled back at "
                << str(meta, "restored_at") << ")\n";
        if (json c = field(meta, "config"); c.is_object() && str(art, "kind") != "config")
            out << fmt::format("  config underneath: policy {} ({}), applied {}\n",
                               str(c, "policy"), shortDigest(str(c, "policy_digest")),
                               str(c, "applied_at"));
        if (std::string q = str(meta, "quarantine"); !q.empty())
            out << "  quarantine in force: " << q << "\n";
        if (json g = field(meta, "killswitch_disabled"); g.is_array() && !g.empty())
            out << "  kill-switch groups disabled: " << g.dump() << "\n";
        if (auto p = readPending(s)) {
            long long left = p->deadlineMs - nowEpochMs();
            bool alive = timerAlive(s);
            out << fmt::format("  AWAITING CONFIRMATION until {} ({}); confirm timer {}\n",
                               str(p->raw, "deadline"),
                               left > 0 ? "in " + secondsText(left) : "deadline passed",
                               alive ? fmt::format("running (pid {})", num(p->raw, "timer_pid"))
                                     : "GONE: roll back or confirm by hand");
            if (!alive)
                rc = kApplyRefused;
        }
        error.clear();
        if (s.read(kSaved, error))
            out << "  rollback point: yes (netsep apply --rollback " +
                       stateArgs(s, target.stateRoot) + ")\n";
        if (applied) {
            auto ruleset = liveRuleset(s.backend(), s.scope(), str(meta, "anchor"));
            std::string live;
            if (ruleset->claim(*applied).empty() && ruleset->read(live, error)) {
                if (live == *applied) {
                    out << "  drift: none (the live ruleset is the one netsep applied)\n";
                } else {
                    out << "  DRIFT: the live ruleset is not the one netsep applied:\n"
                        << unifiedDiff(*applied, live, "applied by netsep", "live now");
                    rc = kApplyRefused;
                }
            } else {
                out << "  drift: unknown (" << error << ")\n";
                rc = kApplyRefused;
            }
        }
    }
    return rc;
}

int runConfirmTimer(const ApplyTarget& target, const std::string& token, int readyFd) {
    if (!target.backend || target.firewall.empty())
        return kApplyFailed;
    StateStore s(target.stateRoot, target.scope, target.firewall, *target.backend);
    FileLock timerLock;
    std::string error;
    // A timer of an earlier, confirmed change may still be finishing.
    if (!timerLock.acquire(s.timerLockPath(), 5000, error))
        return kApplyFailed;
    signalReady(readyFd);
    std::ostringstream sink; // the timer has no terminal; its outcome goes to the log
    for (;;) {
        auto p = readPending(s);
        if (!p || p->token != token)
            return kApplyDone; // confirmed, rolled back by hand, or replaced
        long long left = p->deadlineMs - nowEpochMs();
        if (left > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(left, 100LL)));
            continue;
        }
        FileLock lock;
        if (!lock.acquire(s.lockPath(), 1000, error))
            continue; // an apply or confirm is running; look again
        p = readPending(s);
        if (!p || p->token != token)
            return kApplyDone;
        if (p->deadlineMs > nowEpochMs())
            continue; // the deadline moved (the apply finished loading)
        json who = field(p->raw, "by");
        who["timer_pid"] = ::getpid();
        return RollbackRun(s, "auto-rollback", who, "", sink).run();
    }
}

} // namespace netsep::deploy
