# Sourced by the other scripts: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: an existing JAVA_HOME that is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

pick_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    local home
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(java_major "$home")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$home"
      return 0
    fi
  fi
  echo "otp-orchestrator needs a JDK 21 or newer (set JAVA_HOME, or install one under /usr/lib/jvm)." >&2
  return 1
}

pick_java_home || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.9's bundled Guice uses sun.misc.Unsafe, which JDK 24+ warns about on every run (JEP 498); say it is allowed.
if [ "$(java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
fi
