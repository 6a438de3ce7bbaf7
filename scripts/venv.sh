# Sourced by scripts/run and scripts/test: make .venv and install a requirements file into it,
# again only when that file (or what it includes) changed since the last install.
ensure_venv() {
  local requirements=$1
  if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
  fi
  local stamp
  stamp=.venv/.installed-$(cat "$requirements" requirements.txt | sha256sum | cut -c1-16)
  if [[ ! -f $stamp ]]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
}
