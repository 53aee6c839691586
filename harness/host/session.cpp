#include "session.hpp"

#include <type_traits>
#include <boost/optional.hpp>
#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace conformance {

namespace asio = boost::asio;
namespace bp = boost::process::v2;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string kTag = "@@sg ";

uint64_t fnv1a(const std::string& s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

std::string field(const std::string& line, const std::string& key) {
    auto p = line.find(" " + key + "=");
    if (p == std::string::npos) return "";
    p += key.size() + 2;
    return line.substr(p, line.find(' ', p) - p);
}

}  // namespace

struct Session::Impl {
    SessionOptions opt;
    asio::io_context ctx;
    asio::readable_pipe out{ctx};
    asio::writable_pipe in{ctx};
    asio::signal_set interrupts{ctx, SIGINT, SIGTERM};
    int interrupted = 0;  // the signal that stopped the run
    std::optional<bp::process> proc;
    std::string buf, early;  // early: what the worker printed before hello, for error messages
    bool eof = false;

    // Runs the context until `done` or the deadline; false on timeout (the pending operation is cancelled).
    void watch_interrupts() {
        interrupts.async_wait([this](auto ec, int sig) {
            if (!ec) interrupted = sig;
        });
    }

    template <class Stream>
    bool run_until(bool& done, Stream& s, clock_type::time_point deadline) {
        ctx.restart();
        while (!done && !interrupted && clock_type::now() < deadline) ctx.run_one_until(deadline);
        if (done) return true;
        s.cancel();  // its handler still runs, with operation_aborted; the signal watch stays pending
        ctx.restart();
        while (!done) ctx.run_one();
        return false;
    }

    std::optional<std::string> read_line(clock_type::time_point deadline, bool* timed_out) {
        *timed_out = false;
        for (;;) {
            auto nl = buf.find('\n');
            if (nl != std::string::npos) {
                std::string line = buf.substr(0, nl);
                buf.erase(0, nl + 1);
                if (!line.empty() && line.back() == '\r') line.pop_back();  // a console's newline
                return line;
            }
            if (eof) {
                if (buf.empty()) return std::nullopt;
                std::string line;
                line.swap(buf);
                return line;
            }
            char tmp[65536];
            bool done = false;
            boost::system::error_code ec;
            size_t n = 0;
            out.async_read_some(asio::buffer(tmp), [&](auto e, size_t k) { ec = e, n = k, done = true; });
            if (!run_until(done, out, deadline)) {
                *timed_out = true;
                return std::nullopt;
            }
            if (ec) eof = true;
            else buf.append(tmp, n);
        }
    }

    bool write_all(const std::string& text, clock_type::time_point deadline) {
        bool done = false;
        boost::system::error_code ec;
        asio::async_write(in, asio::buffer(text), [&](auto e, size_t) { ec = e, done = true; });
        return run_until(done, in, deadline) && !ec;
    }

    void stop() {
        if (!proc) return;
        boost::system::error_code ec;
        if (proc->running(ec)) proc->terminate(ec);  // cases die with it: their processes hold PDEATHSIG
        proc->wait(ec);
        proc.reset();
    }
};

Session::Session(SessionOptions o) : impl_(std::make_unique<Impl>()) { impl_->opt = std::move(o); }

Session::~Session() { impl_->stop(); }

Facts Session::start() {
    auto& I = *impl_;
    signal(SIGPIPE, SIG_IGN);  // a worker that dies while we write must be an error, not our death
    I.watch_interrupts();      // an interrupted run still stops its worker and cleans up after it
    std::vector<std::string> argv = I.opt.command;
    if (argv.empty()) {
        argv = I.opt.wrap;
        argv.push_back(I.opt.worker);
    }
    bp::filesystem::path exe = argv.front();
    if (argv.front().find('/') == std::string::npos) {
        exe = bp::environment::find_executable(argv.front());
        if (exe.empty()) throw SessionError("cannot start '" + argv.front() + "': not found on PATH");
    }
    if (!std::filesystem::exists(exe.string())) throw SessionError("cannot start '" + exe.string() + "': no such file");
    if (!std::filesystem::exists(I.opt.worker) && I.opt.wrap.empty() && I.opt.command.empty())
        throw SessionError("worker '" + I.opt.worker + "' does not exist (build it, or pass --worker)");
    try {
        I.proc.emplace(I.ctx, exe, std::vector<std::string>(argv.begin() + 1, argv.end()),
                       bp::process_stdio{I.in, I.out, I.out});  // stderr too: a boot failure is told there
    } catch (const std::exception& e) {
        throw SessionError("cannot start '" + exe.string() + "': " + e.what());
    }
    const auto deadline = clock_type::now() + std::chrono::milliseconds(I.opt.hello_ms);
    bool timed_out = false;
    // Wait for "ready" before speaking: a booting kernel drops input that arrives before its console is open.
    auto await = [&](const std::string& what) -> std::optional<std::string> {
        while (auto line = I.read_line(deadline, &timed_out)) {
            if (I.interrupted) break;
            auto at = line->find(kTag + what);
            if (at != std::string::npos) return line->substr(at + kTag.size() + what.size());
            if (I.early.size() < 2000) I.early += *line + "\n";
        }
        return std::nullopt;
    };
    auto silent = [&](const std::string& what) {
        if (I.interrupted) return SessionError("interrupted by signal " + std::to_string(I.interrupted));
        std::string said = I.early.empty() ? "nothing" : "'" + I.early.substr(0, 400) + "'";
        return SessionError((timed_out ? "the worker did not say " + what + " within " + std::to_string(I.opt.hello_ms) + " ms"
                                       : "the worker exited without saying " + what) + "; it printed " + said);
    };
    if (!await("ready ")) throw silent("ready");
    std::string config = kTag + "config mode=" + I.opt.mode + " entry=" + I.opt.entry +
                         (I.opt.impl.empty() ? "" : " impl=" + I.opt.impl) +
                         (I.opt.spool.empty() ? "" : " spool=" + I.opt.spool) + "\n";
    if (!I.write_all(config, deadline)) throw SessionError("the worker exited before reading its configuration");
    auto hello = await("hello ");
    if (!hello) throw silent("hello");
    Facts f = Facts::parse(*hello);
    if (!f.get("error").empty()) throw SessionError("the worker refused to start: " + f.get("error"));
    if (f.get("v") != "1")
        throw SessionError("the worker speaks protocol version '" + f.get("v") + "', this runner speaks 1");
    return f;
}

void Session::run(const std::vector<std::pair<int, std::string>>& plans,
                  const std::function<void(const Frame&)>& on_frame) {
    auto& I = *impl_;
    std::set<int> pending;
    std::string text;
    for (auto& [index, plan] : plans) {
        pending.insert(index);
        text += plan;
    }
    text += kTag + "go jobs=" + std::to_string(I.opt.jobs) + "\n";
    auto silence = [&] { return clock_type::now() + std::chrono::milliseconds(I.opt.silence_ms); };
    std::string lost = "lost: the worker exited before reporting this case";
    if (!I.write_all(text, silence())) lost = "lost: the worker stopped reading its plans";
    std::optional<Frame> cur;
    std::vector<std::string> body_lines;
    bool timed_out = false;
    while (!pending.empty() && lost.find("stopped reading") == std::string::npos) {
        auto line = I.read_line(silence(), &timed_out);
        if (I.interrupted) {
            lost = "lost: the run was interrupted by signal " + std::to_string(I.interrupted);
            break;
        }
        if (!line) {
            if (timed_out) lost = "hung: the worker sent nothing for " + std::to_string(I.opt.silence_ms) + " ms";
            break;
        }
        auto at = line->find(kTag);
        if (at == std::string::npos) continue;  // console noise
        std::string msg = line->substr(at + kTag.size());
        if (msg.rfind("begin ", 0) == 0) {
            cur.emplace();
            cur->index = atoi(msg.c_str() + 6);
            body_lines.clear();
        } else if (msg.rfind("done ", 0) == 0 && cur) {
            Frame f = *cur;
            for (auto& l : body_lines) f.body += l + "\n";
            f.status = field(msg, "status");
            if (std::to_string(body_lines.size()) != field(msg, "lines") || std::to_string(fnv1a(f.body)) != field(msg, "fnv"))
                f.status = "garbled: the frame's lines or checksum do not match what arrived";
            f.ms = atof(field(msg, "ms").c_str());  // the case's own time, measured by the worker
            if (pending.erase(f.index)) on_frame(f);
            cur.reset();
        } else if (msg.rfind("bye", 0) == 0) {
            break;
        } else if (cur) {
            body_lines.push_back(kTag + msg);
        } else if (!msg.empty()) {
            // A tagged line outside any frame: the worker is not speaking the protocol.
            for (int index : pending) on_frame({index, "", "garbled: unexpected line from the worker: '" + msg.substr(0, 200) + "'", 0});
            pending.clear();
        }
    }
    for (int index : pending) on_frame({index, "", lost, 0});
    I.stop();
}

int Session::interrupted() const { return impl_->interrupted; }

}  // namespace conformance
