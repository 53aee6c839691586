#include "frames.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdlib>

namespace conformance {

namespace {
const std::string kTag = "@@sg ";
}

uint64_t fnv1a(const std::string& s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

std::optional<long long> parse_int(const std::string& s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long v = strtoll(s.c_str(), &end, 10);
    if (errno || *end || end == s.c_str()) return std::nullopt;
    return v;
}

bool valid_status(const std::string& s) {
    if (s == "timeout") return true;
    for (const std::string prefix : {"exit:", "signal:"})
        if (s.rfind(prefix, 0) == 0) {
            auto n = parse_int(s.substr(prefix.size()));
            return n && *n >= 0 && *n < 256;
        }
    return false;
}

std::string field(const std::string& line, const std::string& key) {
    auto p = line.find(" " + key + "=");
    if (p == std::string::npos) return "";
    p += key.size() + 2;
    return line.substr(p, line.find(' ', p) - p);
}

void FrameReader::fail(const std::string& why) {
    if (fatal_.empty()) fatal_ = "garbled: " + why;
    cur_.reset();
}

std::optional<Frame> FrameReader::line(const std::string& text) {
    if (!fatal_.empty() || bye_) return std::nullopt;
    if (text.size() > kMaxLine) {
        fail("a line of " + std::to_string(text.size()) + " bytes from the worker");
        return std::nullopt;
    }
    auto at = text.find(kTag);
    if (at == std::string::npos) return std::nullopt;  // console noise
    const std::string msg = text.substr(at + kTag.size());
    if (msg.rfind("begin ", 0) == 0) {
        auto index = parse_int(msg.substr(6));
        if (cur_ || !index || !pending_.count(int(*index))) {
            fail("unexpected frame start '" + msg.substr(0, 80) + "'");
            return std::nullopt;
        }
        cur_.emplace();
        cur_->index = int(*index);
        lines_ = 0;
        return std::nullopt;
    }
    if (msg.rfind("done ", 0) == 0) return done(msg);
    if (msg == "bye" || msg.rfind("bye ", 0) == 0) {
        if (cur_) fail("the worker said bye inside a frame");
        bye_ = true;
        return std::nullopt;
    }
    if (!cur_) {  // a tagged line outside any frame: the worker is not speaking the protocol
        if (!msg.empty()) fail("unexpected line from the worker: '" + msg.substr(0, 200) + "'");
        return std::nullopt;
    }
    cur_->body += kTag + msg + "\n";
    if (++lines_ > kMaxFrameLines || cur_->body.size() > kMaxFrameBytes)
        fail("case " + std::to_string(cur_->index) + " sent more than the protocol allows in one frame");
    return std::nullopt;
}

std::optional<Frame> FrameReader::done(const std::string& msg) {
    auto index = parse_int(msg.substr(5, msg.find(' ', 5) - 5));
    if (!cur_ || !index || *index != cur_->index) {
        fail("a frame end that does not match its start: '" + msg.substr(0, 80) + "'");
        return std::nullopt;
    }
    Frame f = std::move(*cur_);
    cur_.reset();
    f.status = field(msg, "status");
    auto lines = parse_int(field(msg, "lines"));
    auto ms = parse_int(field(msg, "ms"));
    if (!valid_status(f.status)) f.status = "garbled: the frame's status '" + f.status.substr(0, 40) + "' is not one the protocol has";
    else if (!lines || size_t(*lines) != lines_ || std::to_string(fnv1a(f.body)) != field(msg, "fnv"))
        f.status = "garbled: the frame's lines or checksum do not match what arrived";
    else if (!ms || *ms < 0)
        f.status = "garbled: the frame's duration is not a number of milliseconds";
    f.ms = ms ? double(*ms) : 0;
    pending_.erase(f.index);
    return f;
}

}  // namespace conformance
