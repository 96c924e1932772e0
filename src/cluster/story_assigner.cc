// placeholder: written by the cluster helper
