#include "drill/Drill.hpp"

#include "deploy/Artifact.hpp"
#include "deploy/LiveRuleset.hpp"
#include "deploy/Tool.hpp"
#include "diag/Printable.hpp"
#include "drill/DrillRecord.hpp"
#include "drill/NetnsLab.hpp"
#include "drill/TcpProbe.hpp"
#include "driver/OutputWriter.hpp"
#include "driver/ProcessGuard.hpp"
#include "driver/Version.hpp"

#include <nlohmann/json.hpp>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <thread>

namespace fs = std::filesystem;

namespace netsep::drill {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string utcNow() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

long msBetween(Clock::time_point a, Clock::time_point b) {
    return long(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count());
}

bool isV6(const std::string& address) {
    return address.find(':') != std::string::npos;
}

// A temporary directory for the artifacts, removed at the end and on an
// interruption.
class TempDir {
public:
    explicit TempDir(std::string& error) {
        std::string tmpl = (fs::temp_directory_path() / "netsep-drill-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            error = "cannot create a temporary directory: " + tmpl;
            return;
        }
        path_ = tmpl;
        driver::registerTemporary(path_);
    }
    ~TempDir() {
        if (path_.empty())
            return;
        std::error_code ec;
        fs::remove_all(path_, ec);
        driver::unregisterTemporary(path_);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// The checks of one drill, as the record lists them.
class Checks {
public:
    explicit Checks(std::ostream& out) : out_(out) {}

    // One observation of a flow in a phase; `flow` indexes the plan's flows.
    void flow(size_t flow, const std::string& phase, const std::string& connection,
              const std::string& expected, const std::string& observed, const std::string& detail,
              const std::string& label) {
        json c = {{"phase", phase},
                  {"connection", connection},
                  {"expected", expected},
                  {"observed", observed},
                  {"detail", detail}};
        flows_[flow].push_back(c);
        note(expected == observed, phase + ": " + label + " (" + connection + "): expected " +
                                       expected + ", observed " + observed +
                                       (detail.empty() ? "" : " (" + detail + ")"));
    }
    // A step that is not a flow (load, engage, restore).
    void step(bool ok, const std::string& what) { note(ok, what); }

    const std::vector<json>& of(size_t flow) { return flows_[flow]; }
    const std::vector<std::string>& failed() const { return failed_; }

private:
    void note(bool ok, const std::string& what) {
        out_ << (ok ? "  ok    " : "  FAIL  ") << printable(what) << "\n";
        if (!ok)
            failed_.push_back(what);
    }
    std::ostream& out_;
    std::map<size_t, std::vector<json>> flows_;
    std::vector<std::string> failed_;
};

std::string flowLabel(const DrillFlow& f) {
    return (f.role == DrillFlow::Role::Exception ? "exception " : "control ") + f.rule + " " +
           f.src + " -> " + f.dst + ":tcp/" + std::to_string(f.port);
}

// "" when every probe runs, else what is missing.
std::string checkTools(const std::vector<std::vector<std::string>>& probes) {
    for (const auto& argv : probes) {
        auto r = deploy::runTool(argv, deploy::NetScope::host(), {}, 10000);
        if (!r.ok())
            return "the drill needs `" + argv[0] + "`: " + r.describe(argv);
    }
    return "";
}

// The tools the drill runs; "" or what is missing.
std::string checkEnvironment(const std::string& backend) {
    if (::geteuid() != 0)
        return "the drill creates network namespaces and loads rulesets: run it as root";
    std::vector<std::vector<std::string>> probes = {{"ip", "-V"}, {"sh", "-c", "true"}};
    if (backend == "nftables")
        probes.push_back({"nft", "--version"});
    else
        for (const char* t : {"iptables-restore", "ip6tables-restore", "iptables", "ip6tables"})
            probes.push_back({t, "--version"});
    return checkTools(probes);
}

struct Topology {
    NetnsLab lab;
    std::string router;
    std::vector<std::string> hosts; // per plan segment
};

std::string buildTopology(const DrillPlan& plan, Topology& t) {
    std::string error;
    t.router = t.lab.add("fw", error);
    if (t.router.empty())
        return error;
    for (size_t i = 0; i < plan.segments.size(); ++i) {
        std::string ns = t.lab.add("h" + std::to_string(i), error);
        if (ns.empty())
            return error;
        t.hosts.push_back(ns);
    }
    std::vector<std::pair<std::string, std::string>> routerSysctls = {
        {"net/ipv4/ip_forward", "1"},
        {"net/ipv6/conf/all/forwarding", "1"},
        // the firewall, not reverse-path filtering, decides
        {"net/ipv4/conf/all/rp_filter", "0"},
        {"net/ipv4/conf/default/rp_filter", "0"},
        {"net/ipv6/conf/default/accept_dad", "0"}};
    for (const auto& [k, v] : routerSysctls)
        if (std::string e = t.lab.sysctl(t.router, k, v); !e.empty())
            return e;
    // Every host reaches the firewall through a link-local gateway on its
    // veth, so no policy address is spent on the firewall itself.
    std::vector<std::string> routerLines;
    for (size_t i = 0; i < plan.segments.size(); ++i) {
        if (std::string e = t.lab.sysctl(t.hosts[i], "net/ipv6/conf/default/accept_dad", "0");
            !e.empty())
            return e;
        const auto& seg = plan.segments[i];
        routerLines.push_back("link add " + seg.iface + " type veth peer name eth0 netns " +
                              t.hosts[i]);
        routerLines.push_back("addr add 169.254.0.1/32 dev " + seg.iface);
        routerLines.push_back("addr add fe80::1/64 dev " + seg.iface + " nodad");
        routerLines.push_back("link set " + seg.iface + " up");
        for (const auto& a : seg.addresses)
            routerLines.push_back("route add " + a + (isV6(a) ? "/128" : "/32") + " dev " +
                                  seg.iface);
    }
    if (std::string e = t.lab.ipBatch(t.router, routerLines); !e.empty())
        return e;
    for (size_t i = 0; i < plan.segments.size(); ++i) {
        std::vector<std::string> lines;
        for (const auto& a : plan.segments[i].addresses)
            lines.push_back("addr add " + a + (isV6(a) ? "/128 dev eth0 nodad" : "/32 dev eth0"));
        lines.push_back("link set eth0 up");
        lines.push_back("route add 0.0.0.0/0 via 169.254.0.1 dev eth0 onlink");
        lines.push_back("route add ::/0 via fe80::1 dev eth0");
        if (std::string e = t.lab.ipBatch(t.hosts[i], lines); !e.empty())
            return e;
    }
    return "";
}

// Runs an artifact the way its header tells the operator to.
// "nft -f nftables-killswitch-G-disable.nft", for messages.
std::string shown(const std::vector<std::string>& argv) {
    std::string text;
    for (size_t i = 0; i < argv.size(); ++i)
        text += (i ? " " : "") +
                (i + 1 == argv.size() ? fs::path(argv[i]).filename().string() : argv[i]);
    return text;
}

deploy::ToolResult runArtifact(const std::string& backend, const std::string& path,
                               const deploy::NetScope& scope, std::vector<std::string>& argv) {
    argv = backend == "nftables" ? std::vector<std::string>{"nft", "-f", path}
                                 : std::vector<std::string>{"sh", path};
    return deploy::runTool(argv, scope, {}, 30000);
}

json fileEntry(const deploy::Artifact& a) {
    json files = json::array();
    for (const auto& f : a.files)
        files.push_back({{"file", fs::path(f.path).filename().string()}, {"sha256", f.sha256}});
    return files;
}

} // namespace

int runDrill(driver::Session& s, const DrillOptions& o, std::ostream& out, std::ostream& err) {
    const DrillRequest& req = o.request;
    auto fail2 = [&](const std::string& msg) {
        err << "netsep: error: " << printable(msg) << "\n";
        return kDrillUsage;
    };
    if (std::string e = checkEnvironment(req.backend); !e.empty())
        return fail2(e);
    std::string error;
    auto planned = planDrill(s.policy, s.sources, req, error);
    if (!planned)
        return fail2(error);
    const DrillPlan& plan = *planned;

    // The normal compile and the real kill-switch artifacts.
    driver::CompileOptions copts{req.asOf, {req.backend}, {plan.firewall}};
    auto config = s.compile(copts);
    auto switches = s.killSwitch(req.group, copts);
    if (s.diags.hasErrors()) {
        s.diags.print(err);
        return fail2("the policy does not compile for " + req.backend + " on firewall " +
                     plan.firewall + ": nothing to drill");
    }
    TempDir tmp(error);
    if (tmp.path().empty())
        return fail2(error);
    if (std::string e = driver::writeOutputDirectory(tmp.path() + "/compile", config); !e.empty())
        return fail2(e);
    if (std::string e = driver::writeOutputDirectory(tmp.path() + "/killswitch", switches);
        !e.empty())
        return fail2(e);
    auto backend = *deploy::parseBackend(req.backend);
    auto configArtifact =
        deploy::readArtifact(tmp.path() + "/compile", plan.firewall, backend, error);
    if (!configArtifact)
        return fail2(error);
    // iptables configs that match ipsets (the catch-all, objects of several
    // prefixes) load them too: say so before any namespace exists, not
    // halfway through the load.
    if (!configArtifact->ipsets.empty())
        if (std::string e = checkTools({{"ipset", "--version"}}); !e.empty())
            return fail2(e);
    std::string ext = req.backend == "nftables" ? ".nft" : ".sh";
    std::string ksDir = tmp.path() + "/killswitch/" + plan.firewall + "/";
    std::string disablePath = ksDir + req.backend + "-killswitch-" + req.group + "-disable" + ext;
    std::string enablePath = ksDir + req.backend + "-killswitch-" + req.group + "-enable" + ext;
    auto disable = deploy::readArtifact(disablePath, plan.firewall, backend, error);
    auto enable =
        disable ? deploy::readArtifact(enablePath, plan.firewall, backend, error) : std::nullopt;
    if (!disable || !enable)
        return fail2(error);

    const std::string started = utcNow();
    const auto t00 = Clock::now();
    out << "netsep: drill of kill-switch group '" << printable(req.group) << "' on firewall "
        << printable(plan.firewall) << " (" << req.backend << "), " << plan.flows.size()
        << " flow(s), " << plan.segments.size() + 1 << " network namespace(s)\n";

    Checks checks(out);
    json timings = json::object();
    std::vector<json> flowRecords;
    std::string topologyError;
    {
        Topology topo;
        topologyError = buildTopology(plan, topo);
        if (!topologyError.empty()) {
            topo.lab.teardown();
            return fail2("cannot build the drill topology: " + topologyError);
        }
        std::string nsErr;
        auto scope = *deploy::NetScope::netns(topo.router, nsErr);
        auto ruleset = deploy::liveRuleset(backend, scope, "");
        std::string loadErr = ruleset->claim(*configArtifact);
        if (loadErr.empty())
            loadErr = ruleset->load(*configArtifact);
        if (!loadErr.empty()) {
            topo.lab.teardown();
            return fail2("the compiled ruleset does not load: " + loadErr);
        }
        checks.step(true, "loaded the compiled " + req.backend + " ruleset of firewall " +
                              plan.firewall + " into " + topo.router);

        // Listeners: one per destination address and port.
        std::vector<int> listeners;
        std::map<std::pair<std::string, uint16_t>, bool> listening;
        for (const auto& f : plan.flows) {
            if (listening[{f.dst, f.port}])
                continue;
            listening[{f.dst, f.port}] = true;
            int fd = tcpListen(topo.lab.fd(topo.hosts[f.dstSegment]), f.dst, f.port, error);
            if (fd < 0) {
                for (int l : listeners)
                    ::close(l);
                topo.lab.teardown();
                return fail2(error);
            }
            listeners.push_back(fd);
        }
        EchoServer echo;
        if (std::string e = echo.start(listeners); !e.empty()) {
            topo.lab.teardown();
            return fail2(e);
        }

        auto nsOf = [&](const DrillFlow& f) { return topo.lab.fd(topo.hosts[f.srcSegment]); };
        auto newConn = [&](size_t i, const std::string& phase, bool shouldPass) {
            const DrillFlow& f = plan.flows[i];
            std::string detail;
            bool passes = flowPasses(nsOf(f), f.src, f.dst, f.port, o.probeTimeoutMs, detail);
            checks.flow(i, phase, "new", shouldPass ? "passes" : "blocked",
                        passes ? "passes" : "blocked", passes ? "" : detail, flowLabel(f));
        };

        // Before: every flow passes; one connection of the first exception
        // flow and one of the control flow are kept open.
        for (size_t i = 0; i < plan.flows.size(); ++i)
            newConn(i, "before", true);
        size_t exceptionHeld = 0, controlHeld = plan.flows.size() - 1;
        std::string detail;
        auto openHeld = [&](size_t i) {
            const DrillFlow& f = plan.flows[i];
            int fd = tcpConnect(nsOf(f), f.src, f.dst, f.port, o.probeTimeoutMs, detail);
            bool ok = fd >= 0 && echoes(fd, "held\n", o.probeTimeoutMs, detail);
            checks.flow(i, "before", "established", "passes", ok ? "passes" : "blocked",
                        ok ? "" : detail, flowLabel(f));
            return fd;
        };
        int heldEx = openHeld(exceptionHeld);
        int heldCtl = openHeld(controlHeld);

        // Engage, with the established connection watched every 5 ms.
        std::optional<CutWatch> watch;
        if (heldEx >= 0) {
            watch.emplace(heldEx, 5, 500);
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
        }
        std::vector<std::string> argv;
        auto t0 = Clock::now();
        auto engaged = runArtifact(req.backend, disablePath, scope, argv);
        auto t1 = Clock::now();
        checks.step(engaged.ok(), "engaged the kill switch: `" + shown(argv) + "` in " +
                                      topo.router +
                                      (engaged.ok() ? "" : ": " + engaged.describe(argv)));
        timings["engage"] = msBetween(t0, t1);
        if (watch) {
            auto deadline = t1 + std::chrono::milliseconds(o.cutWaitMs);
            while (!watch->cut() && Clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            Clock::time_point cutAt;
            bool cut = watch->finish(cutAt);
            std::string why;
            std::string observed = cut ? "blocked" : "passes";
            if (!cut) {
                why = "data still crossed " + std::to_string(o.cutWaitMs) + " ms after the engage";
            } else if (msBetween(cutAt, t0) > 50) {
                // A connection that stalled before the switch proves nothing.
                observed = "stalled before the engage";
            } else if (pollfd p{heldEx, POLLIN, 0}; ::poll(&p, 1, o.probeTimeoutMs) == 1) {
                // A late echo: the connection was slow, not cut.
                observed = "passes";
                why = "a late echo arrived after the watch saw none";
            } else {
                timings["engage_to_cut"] = std::max(0L, msBetween(t0, cutAt));
            }
            checks.flow(exceptionHeld, "engaged", "established", "blocked", observed, why,
                        flowLabel(plan.flows[exceptionHeld]));
            watch.reset();
            ::close(heldEx);
        }
        if (heldCtl >= 0) {
            bool ok = echoes(heldCtl, "still\n", o.probeTimeoutMs, detail);
            checks.flow(controlHeld, "engaged", "established", "passes", ok ? "passes" : "blocked",
                        ok ? "" : detail, flowLabel(plan.flows[controlHeld]));
            ::close(heldCtl);
        }
        for (size_t i = 0; i < plan.flows.size(); ++i)
            newConn(i, "engaged", plan.flows[i].role == DrillFlow::Role::Control);

        // Restore.
        auto t2 = Clock::now();
        auto restored = runArtifact(req.backend, enablePath, scope, argv);
        auto t3 = Clock::now();
        checks.step(restored.ok(), "restored: `" + shown(argv) + "` in " + topo.router +
                                       (restored.ok() ? "" : ": " + restored.describe(argv)));
        timings["restore"] = msBetween(t2, t3);
        for (size_t i = 0; i < plan.flows.size(); ++i)
            newConn(i, "restored", true);

        echo.stop();
        topo.lab.teardown();
    }
    timings["total"] = msBetween(t00, Clock::now());

    // The record.
    json flows = json::array();
    for (size_t i = 0; i < plan.flows.size(); ++i) {
        const DrillFlow& f = plan.flows[i];
        bool asExpected = true;
        for (const auto& c : checks.of(i))
            asExpected = asExpected && c["expected"] == c["observed"];
        flows.push_back({{"role", f.role == DrillFlow::Role::Exception ? "exception" : "control"},
                         {"rule", f.rule},
                         {"location", f.where},
                         {"family", f.family},
                         {"protocol", "tcp"},
                         {"src", f.src},
                         {"src_endpoint", f.srcEndpoint},
                         {"dst", f.dst},
                         {"dst_endpoint", f.dstEndpoint},
                         {"port", f.port},
                         {"checks", checks.of(i)},
                         {"as_expected", asExpected}});
    }
    json exceptions = json::array();
    for (const auto& e : plan.exceptions)
        exceptions.push_back({{"name", e}});
    json notCovered = json::array();
    for (const auto& [e, why] : plan.notCovered)
        notCovered.push_back({{"name", e}, {"why", why}});
    const bool passed = checks.failed().empty();
    json record = {
        {"format", kDrillRecordFormat},
        {"started_utc", started},
        {"finished_utc", utcNow()},
        {"netsep_version", kVersion},
        {"policy", {{"path", o.policyPath}, {"name", s.policy.name}, {"digest", s.digest.digest}}},
        {"as_of", req.asOf.str()},
        {"firewall", plan.firewall},
        {"backend", req.backend},
        {"group", req.group},
        {"operator", o.operatorName},
        {"ticket", o.ticket},
        {"exceptions", exceptions},
        {"exceptions_not_covered", notCovered},
        {"artifacts",
         {{"config", fileEntry(*configArtifact)},
          {"disable", fileEntry(*disable)},
          {"enable", fileEntry(*enable)}}},
        {"flows", flows},
        {"timings_ms", timings},
        {"result", passed ? "passed" : "failed"},
        {"failed_checks", checks.failed()},
    };
    std::string text = sealRecord(record);
    std::string stamp = started;
    stamp.erase(std::remove(stamp.begin(), stamp.end(), ':'), stamp.end());
    std::string base =
        o.recordDir + "/drill-" + stamp + "-" + plan.firewall + "-" + req.group + "-" + req.backend;
    std::error_code ec;
    fs::create_directories(o.recordDir, ec);
    // Never replace earlier evidence (two drills in one second).
    std::string file = base + ".json";
    for (int n = 2; fs::exists(file, ec); ++n)
        file = base + "-" + std::to_string(n) + ".json";
    if (std::string e = driver::writeFileAtomically(file, text); !e.empty())
        return fail2("cannot write the drill record: " + e);
    out << "netsep: drill " << (passed ? "passed" : "FAILED");
    if (timings.contains("engage_to_cut"))
        out << "; engage to cut " << timings["engage_to_cut"].get<long>() << " ms";
    out << "; record " << printable(file) << "\n";
    return passed ? kDrillPassed : kDrillFailed;
}

} // namespace netsep::drill
