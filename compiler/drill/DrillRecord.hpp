#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace netsep::drill {

// The evidence one kill-switch drill leaves: a JSON file whose keys are
// stable (docs/audit.md, "Drill records"). `record_sha256` is the SHA-256
// of the record's canonical content, which is the record without that key,
// serialised with sorted keys, no whitespace, UTF-8; so any edit to any
// field is detected. Operator and ticket name who ran it and under which
// change; with the digest they are the sign-off.
inline constexpr const char* kDrillRecordFormat = "netsep-drill-record/1";

// Canonical content and its digest ("" when the JSON cannot be serialised,
// e.g. invalid UTF-8).
std::string canonicalContent(const nlohmann::json& record);
std::string recordDigest(const nlohmann::json& record);
// Adds `record_sha256` and returns the file's text (indented, one trailing
// newline; the indentation is not part of the digest).
std::string sealRecord(nlohmann::json& record);

// One flow as a record lists it.
struct RecordedFlow {
    std::string role; // "exception" or "control"
    std::string rule; // the exception or access rule
    std::string family, src, dst;
    int port = 0;
    bool passedAll = false; // every check of the flow saw what it expected
};

// A record as the audit reads it.
struct DrillRecord {
    std::string file;    // where it was read
    bool intact = false; // parsed and its digest matches
    std::string problem; // why not intact ("" when intact)
    std::string startedUtc;
    std::string date; // YYYY-MM-DD of startedUtc
    std::string netsepVersion, policyPath, policyDigest, firewall, backend, group;
    std::string operatorName, ticket, result; // result: "passed" or "failed"
    std::vector<std::string> exceptions;      // covered by the drill
    std::vector<std::string> failedChecks;
    std::vector<RecordedFlow> flows;
    std::optional<long> engageToCutMs, engageMs, restoreMs;
    std::string sha256;
};

// Parses and verifies a record's text: never throws; a record that does not
// parse, misses a key or fails its digest comes back with intact = false.
DrillRecord parseDrillRecord(const std::string& text, const std::string& file);

} // namespace netsep::drill
