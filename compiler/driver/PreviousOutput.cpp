#include "driver/PreviousOutput.hpp"

#include "backends/Backend.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

namespace netsep::driver {

namespace {

// netsep's largest vendor file at 100k rules is about 100 MB.
constexpr std::uintmax_t kMaxPreviousFile = std::uintmax_t(1) << 30;

} // namespace

std::optional<std::string> readPreviousFile(const std::filesystem::path& path) {
    std::error_code ec;
    auto st = std::filesystem::status(path, ec);
    if (ec || st.type() == std::filesystem::file_type::not_found) {
        if (!ec || ec == std::errc::no_such_file_or_directory)
            return std::nullopt;
        throw backends::PreviousOutputError(path.string() + ": " + ec.message());
    }
    if (st.type() != std::filesystem::file_type::regular)
        throw backends::PreviousOutputError(path.string() + " is not a regular file");
    auto size = std::filesystem::file_size(path, ec);
    if (ec || size > kMaxPreviousFile)
        throw backends::PreviousOutputError(path.string() +
                                            (ec ? ": " + ec.message() : " is too large"));
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        throw backends::PreviousOutputError(path.string() + ": cannot be read");
    return std::move(text).str();
}

} // namespace netsep::driver
