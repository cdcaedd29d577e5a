storage "file" { path = "/var/lib/coffer" }
listener "tcp" { address = "0.0.0.0:8200" tls_disable = 1 }
seal "gcpckms" {
  credentials = "/etc/coffer/gcp-sa.json"
  project     = "coffer-prod"
  region      = "global"
  key_ring    = "coffer-keyring"
  crypto_key  = "coffer-unseal"
}
