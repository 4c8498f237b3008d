"""What the served page carries that both the kernel's widgets and the server need: the theme's
stylesheet and the charts' script. Imports nothing of the server or of the widgets."""
