#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace netsep::deploy {

// Who runs netsep: the login name of the real uid and, behind sudo, the
// user who called sudo.
struct Operator {
    std::string user;
    std::string sudoUser;
    unsigned uid = 0;
    // "kim (as root)" / "root"
    std::string describe() const;
};
Operator currentOperator();

// "2026-12-07T07:40:22.123Z"
std::string utcTimestamp(long long epochMs);
long long nowEpochMs();

// Appends one entry to the apply log, a JSON Lines file that is only ever
// appended to (O_APPEND, one write per entry, fsync): "time" is added
// first. Invalid UTF-8 in any field is replaced, never written raw.
// "" or an error.
std::string appendLog(const std::string& path, const nlohmann::ordered_json& entry);

} // namespace netsep::deploy
