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
#include <fcntl.h>
#include <unistd.h>

#include "interrupts.hpp"

namespace conformance {

namespace asio = boost::asio;
namespace bp = boost::process::v2;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string kTag = "@@sg ";

std::string reaper_path(const std::string& given) {
    if (!given.empty()) return given;
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return "";
    std::string dir(self, size_t(n));
    for (int up = 0; up < 2; ++up) {  // the runner sits in the build folder, semget-cases one below it
        dir = dir.substr(0, dir.rfind('/'));
        if (access((dir + "/semget-reaper").c_str(), X_OK) == 0) return dir + "/semget-reaper";
    }
    return "";
}

// Passes `fd` to the child as `target`. Boost 1.81's posix::bind_fd cannot be used: its on_setup falls off
// its end without returning (undefined behaviour, caught by UBSan).
struct pass_fd {
    int target, fd;
    boost::system::error_code on_setup(bp::posix::default_launcher& l, const bp::filesystem::path&, const char* const*) {
        l.fd_whitelist.push_back(target);
        return {};
    }
    boost::system::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&, const char* const*) {
        if (::dup2(fd, target) == -1) return {errno, boost::system::system_category()};
        return {};
    }
};

}  // namespace

struct Session::Impl {
    SessionOptions opt;
    asio::io_context ctx;
    asio::readable_pipe out{ctx};
    asio::writable_pipe in{ctx};
    asio::posix::stream_descriptor interrupts{ctx};
    int interrupted = 0;  // the signal that stopped the run
    std::optional<bp::process> proc;
    std::string buf, early;  // early: what the worker printed before hello, for error messages
    bool eof = false;

    // Runs the context until `done` or the deadline; false on timeout (the pending operation is cancelled).
    void watch_interrupts() {
        interrupts::install();
        if (interrupts::fd() < 0 || interrupts.is_open()) return;
        interrupts.assign(fcntl(interrupts::fd(), F_DUPFD_CLOEXEC, 3));
        interrupts.async_wait(asio::posix::stream_descriptor::wait_read, [this](auto ec) {
            if (!ec) interrupted = interrupts::received();
        });
    }

    template <class Stream>
    bool run_until(bool& done, Stream& s, clock_type::time_point deadline) {
        ctx.restart();
        interrupted = interrupts::received();
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
            if (nl == std::string::npos && buf.size() > kMaxLine) {  // not the protocol: hand it on to be refused
                std::string line = buf.substr(0, kMaxLine + 1);
                buf.clear();
                return line;
            }
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

    // SIGTERM to the reaper, which passes it into the tree and ends what is left; SIGKILL if it lingers.
    // The reaper exits only once its whole tree is gone, so after this no process of the session is left.
    void stop() {
        if (!proc) return;
        boost::system::error_code ec;
        if (proc->running(ec)) {
            proc->request_exit(ec);
            const auto until = clock_type::now() + std::chrono::seconds(5);
            while (proc->running(ec) && clock_type::now() < until) usleep(2000);
            if (proc->running(ec)) proc->terminate(ec);
        }
        proc->wait(ec);
        proc.reset();
    }
};

Session::Session(SessionOptions o) : impl_(std::make_unique<Impl>()) { impl_->opt = std::move(o); }

Session::~Session() { impl_->stop(); }

Facts Session::start() {
    auto& I = *impl_;
    I.watch_interrupts();  // an interrupted run still stops its worker and cleans up after it
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
    // Every tree runs under the reaper: in a PID namespace of its own as root, so nothing it does reaches us.
    const std::string reaper = reaper_path(I.opt.reaper);
    if (reaper.empty() || access(reaper.c_str(), X_OK) != 0)
        throw SessionError("the reaper semget-reaper is missing beside the runner (rebuild the suite)");
    argv[0] = exe.string();
    argv.insert(argv.begin(), std::string("--"));
    try {
        // stderr too: a boot failure is told there. Not const: Boost skips a const initializer.
        bp::process_stdio stdio{I.in, I.out, I.out};
        if (I.opt.spool_fd >= 0) I.proc.emplace(I.ctx, reaper, argv, stdio, pass_fd{3, I.opt.spool_fd});
        else I.proc.emplace(I.ctx, reaper, argv, stdio);
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
                         (I.opt.spool_fd < 0 ? "" : " spool_fd=3") +
                         (I.opt.token.empty() ? "" : " token=" + I.opt.token) + "\n";
    if (!I.write_all(config, deadline)) throw SessionError("the worker exited before reading its configuration");
    auto hello = await("hello ");
    if (!hello) throw silent("hello");
    Facts f = Facts::parse(*hello);
    if (!f.get("error").empty()) throw SessionError("the worker refused to start: " + f.get("error"));
    if (f.get("v") != "1")
        throw SessionError("the worker speaks protocol version '" + f.get("v") + "', this runner speaks 1");
    return f;
}

void Session::run(const std::vector<std::pair<int, std::string>>& plans, long longest_ms,
                  const std::function<void(const Frame&)>& on_frame) {
    auto& I = *impl_;
    std::set<int> indices;
    std::string text;
    long long total_ms = 0;
    for (auto& [index, plan] : plans) {
        indices.insert(index);
        text += plan;
    }
    for (size_t i = 0; i < plans.size(); ++i) total_ms += longest_ms;
    text += kTag + "go jobs=" + std::to_string(I.opt.jobs) + "\n";
    // Only a finished case counts as progress: console noise or an endless line resets no deadline.
    // Given: exactly that. Default (0): 30 s, and never less than the longest case may legitimately take.
    const auto hang = std::chrono::milliseconds(I.opt.silence_ms > 0 ? I.opt.silence_ms
                                                                      : std::max<long long>(30000, longest_ms + 5000));
    const auto overall = clock_type::now() + hang + std::chrono::milliseconds(total_ms / std::max(1, I.opt.jobs));
    auto progress = clock_type::now() + hang;
    std::string lost = "lost: the worker exited before reporting this case";
    if (!I.write_all(text, progress)) lost = "lost: the worker stopped reading its plans";
    FrameReader reader(indices);
    bool timed_out = false;
    while (!reader.pending().empty() && lost.find("stopped reading") == std::string::npos) {
        auto line = I.read_line(std::min(progress, overall), &timed_out);
        if (I.interrupted) {
            lost = "lost: the run was interrupted by signal " + std::to_string(I.interrupted);
            break;
        }
        if (!line) {
            if (timed_out)
                lost = clock_type::now() >= overall ? "hung: the worker did not finish its cases within the run's deadline"
                                                    : "hung: the worker finished no case for " +
                                                          std::to_string(hang.count()) + " ms";
            break;
        }
        if (auto f = reader.line(*line)) {
            progress = clock_type::now() + hang;
            on_frame(*f);
        }
        if (!reader.fatal().empty()) {
            lost = reader.fatal();
            break;
        }
        if (reader.bye()) break;
    }
    for (int index : reader.pending()) on_frame({index, "", lost, 0});
    I.stop();
}

int Session::interrupted() const { return impl_->interrupted; }

}  // namespace conformance
