# bin/jdk.sh: sourced by bin/kccr and bin/test. Finds a JDK 21+ and sets JAVA, JAVA_MAJOR and
# JDK_HOME (JDK_HOME empty when only a java on the PATH was found), or exits with advice.
#   JAVA_HOME   used if its java is 21 or newer; else the newest JDK 21+ under /usr/lib/jvm
#               (or macOS's JavaVirtualMachines); else java on the PATH if 21+
die() {
    echo "kccr: $*" >&2
    exit 1
}

# java_major PATH_TO_JAVA: prints the major version (8, 17, 21, 25...), or nothing if it does not run.
java_major() {
    [ -x "$1" ] || return 0
    "$1" -version 2>&1 | awk -F'"' '/ version "/ {
        v = $2
        if (v ~ /^1\./) v = substr(v, 3)
        sub(/[^0-9].*$/, "", v)
        print v
        exit
    }'
}

JAVA=
JAVA_MAJOR=
JDK_HOME=

# 1. JAVA_HOME, if it is 21+
if [ -n "${JAVA_HOME:-}" ]; then
    v=$(java_major "$JAVA_HOME/bin/java")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
        JAVA=$JAVA_HOME/bin/java JAVA_MAJOR=$v JDK_HOME=$JAVA_HOME
    fi
fi

# 2. the newest JDK 21+ under /usr/lib/jvm (and macOS's /Library/Java/JavaVirtualMachines)
if [ -z "$JAVA" ]; then
    set +f
    for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        [ -d "$home" ] || continue
        v=$(java_major "$home/bin/java")
        if [ -n "$v" ] && [ "$v" -ge 21 ] && { [ -z "$JAVA_MAJOR" ] || [ "$v" -gt "$JAVA_MAJOR" ]; }; then
            JAVA=$home/bin/java JAVA_MAJOR=$v JDK_HOME=$home
        fi
    done
    set -f
fi

# 3. java on the PATH, if it is 21+
if [ -z "$JAVA" ] && command -v java >/dev/null 2>&1; then
    v=$(java_major "$(command -v java)")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
        JAVA=$(command -v java) JAVA_MAJOR=$v
    fi
fi

if [ -z "$JAVA" ]; then
    die "no JDK 21 or newer found (looked at JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm and java on the PATH).
Install JDK 21+ (e.g. 'apt-get install openjdk-21-jdk' or https://adoptium.net), or set JAVA_HOME to one."
fi

