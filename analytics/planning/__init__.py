"""Planning computations without Django: the visit plan under capacity (`visits`)."""
