"""Training evaluation surveys (evaluasi pengajar dan penyelenggaraan), anonymous by default."""
