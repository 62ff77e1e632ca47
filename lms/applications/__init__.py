"""Applications with requirements: fields and documents a program file asks for."""
