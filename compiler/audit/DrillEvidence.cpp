#include "audit/DrillEvidence.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace netsep::audit {

DrillEvidence drillEvidence(const std::vector<drill::DrillRecord>& records,
                            const model::Policy& policy, const std::string& policyDigest,
                            model::Date asOf, int maxAgeDays) {
    DrillEvidence e;
    e.maxAgeDays = maxAgeDays;
    for (uint32_t r = 0; r < policy.rules.size(); ++r) {
        const auto& rule = policy.rules[r];
        if (!rule.exception || rule.exception->killSwitch.empty())
            continue;
        const std::string& g = rule.exception->killSwitch;
        auto it = std::find_if(e.groups.begin(), e.groups.end(),
                               [&](const GroupDrill& d) { return d.group == g; });
        if (it == e.groups.end()) {
            e.groups.push_back({g, {}, std::nullopt, 0, 0, false, GroupDrill::State::Never});
            it = e.groups.end() - 1;
        }
        it->exceptions.push_back(r);
    }
    for (const auto& rec : records) {
        if (!rec.intact) {
            e.rejected.push_back(rec);
            continue;
        }
        for (auto& g : e.groups) {
            if (g.group != rec.group)
                continue;
            ++g.drills;
            // Newest first by start time; a tie goes to the failed one (the
            // audit never hides a failure behind a pass of the same second).
            if (!g.last || rec.startedUtc > g.last->startedUtc ||
                (rec.startedUtc == g.last->startedUtc && rec.result == "failed"))
                g.last = rec;
        }
    }
    for (auto& g : e.groups) {
        if (!g.last)
            continue;
        auto date = model::Date::parse(g.last->date);
        g.ageDays = date ? std::max(0, asOf - *date) : 0;
        g.samePolicy = g.last->policyDigest == policyDigest;
        g.state = g.last->result != "passed"        ? GroupDrill::State::Failed
                  : g.ageDays > maxAgeDays || !date ? GroupDrill::State::Stale
                                                    : GroupDrill::State::Current;
    }
    std::sort(e.rejected.begin(), e.rejected.end(),
              [](const auto& a, const auto& b) { return a.file < b.file; });
    return e;
}

bool readDrillRecords(const std::string& dir, std::vector<drill::DrillRecord>& out,
                      std::string& error) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
        error = "--drill-records " + dir + ": " + ec.message();
        return false;
    }
    std::vector<fs::path> files;
    for (const auto& entry : it)
        if (entry.is_regular_file(ec) && entry.path().extension() == ".json")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::ostringstream text;
        // A record is a few KiB; a huge file is not one.
        if (fs::file_size(f, ec) > (8u << 20)) {
            drill::DrillRecord r;
            r.file = f.filename().string();
            r.problem = "larger than 8 MiB: not a drill record";
            out.push_back(r);
            continue;
        }
        text << in.rdbuf();
        out.push_back(drill::parseDrillRecord(text.str(), f.filename().string()));
    }
    return true;
}

void reportDrillFindings(const DrillEvidence& e, const model::Policy& policy,
                         DiagnosticEngine& diags) {
    for (const auto& g : e.groups) {
        SourceSpan at = policy.rules[g.exceptions.front()].span;
        const std::string name = "kill-switch group '" + g.group + "'";
        switch (g.state) {
        case GroupDrill::State::Never:
            diags.warning("DRL-001", at,
                          name + " has never been drilled (no intact record in " + e.dir +
                              "): run netsep killswitch --drill");
            break;
        case GroupDrill::State::Stale:
            diags.warning("DRL-002", at,
                          name + " was last drilled on " + g.last->date + ", " +
                              std::to_string(g.ageDays) + " days ago (more than " +
                              std::to_string(e.maxAgeDays) + "): drill it again");
            break;
        case GroupDrill::State::Failed:
            diags.error("DRL-003", at,
                        name + ": the last drill (" + g.last->date + ", " + g.last->file +
                            ") FAILED: " +
                            (g.last->failedChecks.empty() ? std::string("see the record")
                                                          : g.last->failedChecks.front()));
            break;
        case GroupDrill::State::Current:
            break;
        }
        if (g.last && !g.samePolicy) {
            Diagnostic d;
            d.severity = Severity::Note;
            d.code = "DRL-004";
            d.span = at;
            d.message = name + " was drilled on an earlier policy version (" +
                        g.last->policyDigest + ", " + g.last->file + ")";
            diags.report(std::move(d));
        }
    }
    SourceSpan top = policy.span;
    for (const auto& r : e.rejected)
        diags.error("DRL-005", top, "drill record " + r.file + " is not trusted: " + r.problem);
}

std::string lastDrillDate(const DrillEvidence* e, const std::string& group) {
    if (!e)
        return "";
    for (const auto& g : e->groups)
        if (g.group == group && g.last)
            return g.last->date;
    return "";
}

} // namespace netsep::audit
