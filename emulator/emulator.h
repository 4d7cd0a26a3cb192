// One complete gee instance: state (data directory or memory), the services,
// the gateway and the HTTP server. `gee serve` runs one; integration tests
// start one in-process on an ephemeral port and talk real HTTP to it.
//
//   auto emu = Emulator::Create(options);   // opens state, applies migrations
//   (*emu)->Start();                         // binds and serves
//   ... http://127.0.0.1:(*emu)->port() ...
//   (*emu)->Stop();                          // graceful; also in the destructor
//
// Thread-safety: Create/Start/Stop from one controlling thread.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/random.h"
#include "core/result.h"

namespace gee {

class Environment;
class Gateway;

struct EmulatorOptions {
  Config config;
  // Time source; null means the system clock.
  const Clock* clock = nullptr;
  // Randomness for ids, keys and nonces; null means OpenSSL's CSPRNG.
  Random* random = nullptr;
};

class Emulator {
 public:
  static Result<std::unique_ptr<Emulator>> Create(EmulatorOptions options);
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Binds the listener (config.server.host/port; port 0 = ephemeral) and starts serving.
  Status Start();
  // Stops serving: in-flight requests finish, then the store is left consistent.
  void Stop();

  uint16_t port() const;
  // "http://HOST:PORT".
  std::string endpoint() const;
  const Config& config() const;
  Environment& env();
  Gateway& gateway();
  // Wipes every service's state (what POST /_gee/reset does).
  Status Reset();

 private:
  struct Parts;
  explicit Emulator(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace gee
