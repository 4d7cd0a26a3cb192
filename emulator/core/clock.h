// Time source for everything that reads "now" (SigV4 skew checks, session
// expiry, timestamps in responses, job-run states). Tests inject a ManualClock
// so nothing depends on the wall clock.
//
// Thread-safety: every implementation is safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace gee {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch (UTC).
  virtual int64_t NowMicros() const = 0;

  int64_t NowSeconds() const { return NowMicros() / 1000000; }
  int64_t NowMillis() const { return NowMicros() / 1000; }
  double NowEpochSecondsFractional() const {
    return static_cast<double>(NowMicros()) / 1e6;
  }
};

// The real UTC clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to. Starts at `start_micros`.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_micros) : now_(start_micros) {}
  int64_t NowMicros() const override { return now_.load(); }
  void Set(int64_t micros) { now_.store(micros); }
  void AdvanceSeconds(int64_t s) { now_.fetch_add(s * 1000000); }
  void AdvanceMicros(int64_t us) { now_.fetch_add(us); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace gee
