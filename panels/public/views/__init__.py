"""The representative's pages, reached by signed links in email. Nobody signs in here.

Opening a link changes nothing (mail scanners open links): GET only shows, and every change is
a POST from a button, with CSRF. The views never read ``request.user``, so a member of staff
signed in in the same browser sees exactly what the representative sees.

An altered link, or one whose seat or person is gone, answers 404 with a friendly page; an
expired consent link answers 410 and names the office to ask.
"""
