"""The course's figures, one module per topic. Every helper draws on ``ax`` (a new axes
when ``None``) and returns it; none calls ``plt.show()`` or saves a file. Matplotlib is
imported inside the helpers, so importing a figure module is cheap.

The mathematical core never imports this package; figures import the core.
"""
