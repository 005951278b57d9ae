// Runs the real `cordon` binary as a child process for integration tests, on loopback.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace cordon::testing {

// A child process with its standard output captured. Killed (SIGKILL) on destruction if still
// running, so a failing test never leaves a server behind.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& args, const std::filesystem::path& stderr_file = "/dev/null") {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_fd_ = out[0];
    if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  }
  ~ChildProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of standard output, waiting up to `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      ssize_t n = read(stdout_fd_, chunk, sizeof chunk);
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  void signal(int sig) { kill(pid_, sig); }
  pid_t pid() const { return pid_; }

  // Waits for the child to exit; its exit status, or nullopt on timeout or death by signal.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        return std::nullopt;
      }
      usleep(10000);
    }
    return std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  bool exited_ = false;
};

// `cordon serve` on 127.0.0.1 with a free port, over the given database.
class CordonServer {
 public:
  CordonServer(const std::filesystem::path& db, std::vector<std::string> extra = {},
               const std::filesystem::path& log = "/dev/null", const std::string& binary = CORDON_BINARY) {
    std::vector<std::string> args{binary, "serve", "--listen", "127.0.0.1:0", "--db", db.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(args, log);
    // "Cordon 0.1.0 listening on http://127.0.0.1:PORT/ (store: ...)"
    auto line = process_->read_line(std::chrono::seconds(30));
    if (!line) throw std::runtime_error("cordon serve did not start");
    auto at = line->find("http://127.0.0.1:");
    if (at == std::string::npos) throw std::runtime_error("unexpected first line: " + *line);
    port_ = static_cast<uint16_t>(std::stoi(line->substr(at + 17)));
  }
  uint16_t port() const { return port_; }
  ChildProcess& process() { return *process_; }

 private:
  std::unique_ptr<ChildProcess> process_;
  uint16_t port_ = 0;
};

// Runs `cordon ARGS...` to completion; its standard output.
inline std::string run_cordon(const std::vector<std::string>& args, const std::string& binary = CORDON_BINARY) {
  std::vector<std::string> full{binary};
  full.insert(full.end(), args.begin(), args.end());
  ChildProcess child(full);
  std::string out;
  while (auto line = child.read_line(std::chrono::seconds(60))) out += *line + "\n";
  child.wait(std::chrono::seconds(60));
  return out;
}

// Creates a user with the roles in the database and returns a bearer token for it.
inline std::string create_user_with_token(const std::filesystem::path& db, const std::string& username,
                                          const std::vector<std::string>& roles,
                                          const std::string& binary = CORDON_BINARY) {
  std::vector<std::string> args{"admin", "create", "--db", db.string(), "--username", username, "--password",
                                "correct-horse-battery"};
  for (const auto& r : roles) {
    args.push_back("--role");
    args.push_back(r);
  }
  run_cordon(args, binary);
  std::string token = run_cordon({"admin", "token", "--db", db.string(), "--username", username, "--name", "tests"}, binary);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (!token.starts_with("cdn_")) throw std::runtime_error("no token: " + token);
  return token;
}

}  // namespace cordon::testing
